export { adminQuery, createTestDatabase, dropDatabase, testServer, type TestDatabase } from "./database.ts";
export type { TestServer } from "./server.ts";
export { loginAs, type LoginRole } from "./login-role.ts";
