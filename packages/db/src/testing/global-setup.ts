import type { TestProject } from "vitest/node";
import { startTestServer, type TestServer } from "./server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    mmoTestServer: TestServer;
  }
}

/** Vitest global setup: one server and one migrated template for the whole run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { server, stop } = await startTestServer();
  project.provide("mmoTestServer", server);
  return stop;
}
