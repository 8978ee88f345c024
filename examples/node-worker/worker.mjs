// An SWF activity worker in Node.js for the `node-shout` activity of examples/interop.py,
// speaking pyflow's JSON contract: the task's input and the result are JSON text, an error is
// reported as reason (the error's name) and details (message and stack), and the worker
// heartbeats after each word, which is what the task's heartbeat timeout asks for.
//
// It uses @aws-sdk/client-swf, which honours AWS_ENDPOINT_URL_SWF, AWS_REGION and the usual
// credentials, so the same file runs against `pyflow local serve` and AWS.

import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import {
  PollForActivityTaskCommand,
  RecordActivityTaskHeartbeatCommand,
  RespondActivityTaskCanceledCommand,
  RespondActivityTaskCompletedCommand,
  RespondActivityTaskFailedCommand,
  SWFClient,
  UnknownResourceFault,
} from "@aws-sdk/client-swf";

const ACTIVITY = { name: "node-shout", version: "1" };
// SWF's limits: a longer reason or details is refused, so they are cut as pyflow's worker does.
const MAX_REASON = 256;
const MAX_DETAILS = 32768;
const MAX_HEARTBEAT_DETAILS = 2048;

// Thrown out of the work when a heartbeat's answer says the workflow asked to cancel it.
class CancelRequested extends Error {}

// The activity itself: each word in capitals, with a heartbeat after each one.
async function shout(job, heartbeat) {
  const { words, pause = 0 } = job;
  const shouted = [];
  for (const [index, word] of words.entries()) {
    if (typeof word !== "string") {
      throw new TypeError(`word ${index + 1} is ${JSON.stringify(word)}, not a string`);
    }
    await sleep(pause * 1000);
    await heartbeat({ done: index + 1, of: words.length });
    shouted.push(word.toUpperCase());
  }
  const letters = shouted.reduce((sum, word) => sum + word.length, 0);
  return { worker: "node", words: shouted, letters, heartbeats: words.length };
}

// The SWF command that answers the task.
async function outcome(swf, task) {
  const taskToken = task.taskToken;
  const kind = task.activityType;
  if (kind.name !== ACTIVITY.name || kind.version !== ACTIVITY.version) {
    // SWF cannot take a task back: failing it tells the workflow at once.
    return new RespondActivityTaskFailedCommand({
      taskToken,
      reason: "UnknownActivityType",
      details: `this worker runs ${ACTIVITY.name} ${ACTIVITY.version}, ` +
        `not ${kind.name} ${kind.version}`,
    });
  }
  const heartbeat = async (details) => {
    const status = await swf.send(new RecordActivityTaskHeartbeatCommand({
      taskToken, details: JSON.stringify(details).slice(0, MAX_HEARTBEAT_DETAILS),
    }));
    if (status.cancelRequested) throw new CancelRequested();
  };
  try {
    const input = task.input === undefined ? null : JSON.parse(task.input);
    const result = await shout(input, heartbeat);
    return new RespondActivityTaskCompletedCommand({ taskToken, result: JSON.stringify(result) });
  } catch (error) {
    if (error instanceof CancelRequested) {
      return new RespondActivityTaskCanceledCommand({ taskToken, details: "cancellation requested" });
    }
    const name = error?.name ?? "Error";
    const details = `${name}: ${error?.message ?? error}\n\n${error?.stack ?? ""}`;
    return new RespondActivityTaskFailedCommand({
      taskToken, reason: name.slice(0, MAX_REASON), details: details.slice(0, MAX_DETAILS),
    });
  }
}

async function runTask(swf, task) {
  try {
    await swf.send(await outcome(swf, task));
  } catch (error) {
    if (!(error instanceof UnknownResourceFault)) throw error;
    // Nobody will take the answer, so there is nothing to do but take the next task.
    console.error(`activity ${task.activityId} is no longer open (timed out, canceled, or its ` +
      "workflow closed)");
  }
}

async function main() {
  const swf = new SWFClient({});
  const domain = process.env.PYFLOW_DOMAIN || "pyflow";
  const taskList = process.env.SHOUT_TASK_LIST || "node-workers";
  const identity = `node-${hostname()}-${process.pid}`.slice(0, 256);
  let stopping = false;
  let busy = false;
  // SIGTERM and Ctrl-C let the task in hand finish; a poll in progress is simply abandoned.
  for (const signal of ["SIGTERM", "SIGINT"]) {
    process.on(signal, () => {
      stopping = true;
      if (!busy) process.exit(0);
    });
  }
  console.error(`node worker polling task list ${taskList} in domain ${domain}`);
  while (!stopping) {
    const task = await swf.send(new PollForActivityTaskCommand({
      domain, taskList: { name: taskList }, identity,
    }));
    // An empty poll (no task within the long poll) has no token.
    if (!task.taskToken) continue;
    console.error(`running ${task.activityId} of ${task.workflowExecution.workflowId}`);
    busy = true;
    await runTask(swf, task);
    busy = false;
  }
}

await main();
