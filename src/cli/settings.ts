/** Settings as the CLI loads them: `.env` first, then the layered sources of config.ts. */
import { config as loadDotenvFile } from 'dotenv';
import { loadSettings, type Settings, type SettingsSources } from '../config.js';

let dotenvLoaded = false;

/** Loads `.env` from the working directory once (quietly: stdout carries only results). */
export async function loadDotenv(): Promise<void> {
  if (dotenvLoaded) return;
  dotenvLoaded = true;
  loadDotenvFile({ quiet: true });
}

export async function loadCliSettings(sources: Omit<SettingsSources, 'env'>): Promise<Settings> {
  await loadDotenv();
  return loadSettings({ ...sources, env: process.env });
}
