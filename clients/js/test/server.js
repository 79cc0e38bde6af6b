// Starts the real server (the jar) for the integration tests, on 127.0.0.1 and a free port.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));

/** The server jar: REALTIME_JAR, else the one the Maven build leaves in realtime-app/target. */
export const JAR = process.env.REALTIME_JAR
  ? path.resolve(process.env.REALTIME_JAR)
  : path.resolve(here, "../../../realtime-app/target/realtime.jar");

/** Why the integration tests cannot run, or undefined when they can. */
export function skipReason() {
  if (existsSync(JAR)) return undefined;
  const why = `no server jar at ${JAR}: build it with mvn -B -q package -DskipTests -pl realtime-app -am, or set REALTIME_JAR`;
  if (process.env.CI === "true") throw new Error(why); // in CI a missing jar is a failure
  return why;
}

/**
 * Starts `java -jar <jar>` in dev mode and waits for its `server.started ... port=N` line.
 * @param {{transport: string, port?: number, args?: string[]}} options
 */
export async function startServer({ transport, port = 0, args = [] }) {
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, "bin", "java") : "java";
  const child = spawn(java, ["-jar", JAR, `--transport=${transport}`, "--host=127.0.0.1",
    `--port=${port}`, "--drain-seconds=1", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const output = [];
  const started = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no server.started line within 30 s:\n" + output.join(""))), 30_000);
    const onData = (chunk) => {
      output.push(chunk.toString());
      const match = /server\.started .*\bport=(\d+)/.exec(output.join(""));
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code}:\n` + output.join("")));
    });
  });
  const exited = new Promise((resolve) => child.on("exit", resolve));
  const base = `http://127.0.0.1:${started}`;
  return {
    port: started,
    base,
    wsUrl: `ws://127.0.0.1:${started}/ws`,
    output,
    /** SIGTERM (a graceful drain: clients get 1001), then waits for the exit. */
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
    /** A dev token for `claims`. */
    async token(claims) {
      const response = await fetch(base + "/dev/token", { method: "POST", body: JSON.stringify(claims) });
      if (response.status !== 200) throw new Error("POST /dev/token: " + response.status);
      return (await response.json()).token;
    },
    /** Calls the server API with an admin dev token. */
    async api(method, pathname, body) {
      const admin = await this.token({ sub: "backend", roles: ["admin"], permissions: ["realtime:admin"] });
      const response = await fetch(base + pathname, {
        method, headers: { Authorization: "Bearer " + admin, "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
  };
}

/** Resolves with the first event `event` of `emitter` (a client or a subscription) that passes `test`. */
export function next(emitter, event, test = () => true, ms = 10_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error(`no "${event}" within ${ms} ms`)); }, ms);
    const off = emitter.on(event, (value) => {
      if (!test(value)) return;
      clearTimeout(timer);
      off();
      resolve(value);
    });
  });
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
