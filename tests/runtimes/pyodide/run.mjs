// Runs the xlwings Lite module in real Pyodide under node, offline. For each session of the
// job, a fresh Pyodide: the session's wheels are unpacked into its site-packages (nothing is
// fetched from Pyodide's CDN), its main.py is written, and the driver's `main(session)`
// runs. The answers, one per session, are written to stdout as a JSON list.
//
//   node run.mjs JOB.json      (tests/pyodide_runner.py writes the job)
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { loadPyodide } from "pyodide";

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
// Python's own output goes to stderr, so stdout carries the answers alone.
const toStderr = (line) => process.stderr.write(line + "\n");
const answers = [];
for (const session of job.sessions) {
  const pyodide = await loadPyodide({ stdout: toStderr, stderr: toStderr });
  pyodide.FS.mkdirTree("/wheels");
  for (const wheel of session.wheels) {
    pyodide.FS.writeFile(`/wheels/${basename(wheel)}`, readFileSync(wheel));
  }
  pyodide.FS.writeFile("/home/pyodide/main.py", readFileSync(session.main));
  pyodide.FS.writeFile("/home/pyodide/driver.py", readFileSync(job.driver));
  pyodide.globals.set("session_text", JSON.stringify(session));
  const answer = await pyodide.runPythonAsync(`
import json, runpy
driver = runpy.run_path("/home/pyodide/driver.py")
await driver["main"](json.loads(session_text))
`);
  answers.push(JSON.parse(answer));
}
process.stdout.write(JSON.stringify(answers));
