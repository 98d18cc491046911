import type { TestProject } from "vitest/node";
import "./database.ts";
import { startTestServer } from "./server.ts";

/** Vitest global setup: one server and one migrated template for the whole run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { server, stop } = await startTestServer();
  project.provide("mmoTestServer", server);
  return stop;
}
