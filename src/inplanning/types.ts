/** The typed InPlanning client as the rest of the code sees it. */
import type { GroupRoster, HumanResource, ResourceGroup, ResourceRoster, User } from './schemas.js';

export interface InPlanningClient {
  /** One user; throws NotFoundError when InPlanning answers 211. */
  getUser(username: string): Promise<User>;
  /** One user, or undefined when it does not exist. */
  findUser(username: string): Promise<User | undefined>;
  /** Every user (`limit=0`). */
  listUsers(): Promise<User[]>;
  /** POST /users; returns the created user. */
  createUser(user: User): Promise<User>;
  /** PUT /users: replaces the whole user identified by its username. */
  replaceUser(user: User): Promise<User>;
  /** DELETE /users/{username}; throws NotSupportedError when InPlanning answers 404/405. */
  deleteUser(username: string): Promise<void>;
  listHumanResources(): Promise<HumanResource[]>;
  /** Every resource group, flattened from the tree (each keeps its `parent`). */
  listResourceGroups(): Promise<ResourceGroup[]>;
  /** Dates are yyyy-MM-dd, inclusive. */
  getResourceRoster(resource: string, startDate: string, endDate: string): Promise<ResourceRoster>;
  getGroupRoster(resourceGroup: string, startDate: string, endDate: string): Promise<GroupRoster>;
  /** Runs `task` within the client's concurrency limit (the `Concurrency` setting). */
  limit<T>(task: () => Promise<T>): Promise<T>;
  /** Requests sent by this client so far (including retries and token requests). */
  readonly requestCount: number;
}
