import { PassThrough, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { Output, OutputClosedError, OutputFailedError } from "./output.js";

function failing(code: string): Writable {
  return new Writable({
    write(_chunk, _enc, cb) {
      cb(Object.assign(new Error(`write ${code}`), { code }));
    },
  });
}

describe("Output", () => {
  it("a closed pipe (EPIPE) is noticed once, swallowed, and the next write throws OutputClosedError", async () => {
    const out = new Output(failing("EPIPE"));
    out.write("first");
    await out.flush();
    expect(out.state).toBe("closed");
    expect(() => out.write("second")).toThrow(OutputClosedError);
  });

  it("any other failure becomes one readable OutputFailedError", async () => {
    const out = new Output(failing("ENOSPC"));
    out.write("x");
    await out.flush();
    expect(out.state).toBe("failed");
    expect(() => out.check()).toThrow(OutputFailedError);
    expect(out.error!.message).toBe("cannot write to standard output: no space left on the device");
  });

  it("writeChunk waits for drain and never hangs on a stream that fails while full", async () => {
    const sink = new PassThrough({ highWaterMark: 4 });
    const out = new Output(sink);
    const pending = out.writeChunk("more than four bytes");
    sink.destroy(Object.assign(new Error("gone"), { code: "EPIPE" }));
    await expect(pending).rejects.toThrow(OutputClosedError);
  });
});
