// Compiled by `tsc --noEmit` in `npm test`: the README's usage must type-check against realtime.d.ts.
import { RealtimeClient, RealtimeError, backoff, type Message, type Subscribed } from "../src/realtime.js";

const client = new RealtimeClient("wss://example.test/ws", {
  getToken: async () => "jwt",
  minReconnectDelay: 500,
  maxReconnectDelay: 20_000,
  window: undefined,
});
const offState: () => void = client.on("state", ({ previous, current }) => {
  const states: Array<"disconnected" | "connecting" | "connected"> = [previous, current];
  void states;
});
client.on("welcome", (w) => { const id: string = w.connectionId; void id; });
client.on("error", (e) => {
  if (e.kind === "refused" && e.retryAfter !== undefined) { const s: number = e.retryAfter; void s; }
  const code: string | undefined = e.code;
  void code;
});
client.on("message", (m: Message) => { void m.payload; });
client.on("close", ({ code, refusal }) => { void code; void refusal?.status; });
const sub = client.subscribe("order:123", { presence: true });
sub.on("message", (m) => { const id: string = m.id; void id; });
sub.on("presence", (p) => { const joins: string[] = p.joins; void joins; });
sub.on("subscribed", ({ recovered, resumed }: Subscribed) => { void recovered; void resumed; });
async function use(): Promise<void> {
  const ack = await client.publish("room:1", "chat", { text: "hi" });
  const ref: string = ack.ref;
  void ref;
  await client.ping({ timeout: 1000 });
  await sub.publish("chat", { text: "again" });
  await client.request("typing", { topic: "room:1" }, { queue: true });
}
void use().catch((e: unknown) => { if (e instanceof RealtimeError) { const k: string = e.kind; void k; } });
client.connect();
client.disconnect();
sub.unsubscribe();
offState();
const delay: number = backoff(3, 500, 20_000);
void delay;
