-- wrk script for npm run bench:ingest: POST /ping/<token>, cycling through the tokens in the file
-- named by the first argument (one per line; each wrk thread starts at its own offset), and a
-- one-line JSON summary at the end for run-ingest-bench.ts to read.
local tokens = {}
local next_index = 0
local thread_count = 0

function setup(thread)
  thread:set("offset", thread_count * 7919)
  thread_count = thread_count + 1
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then tokens[#tokens + 1] = line end
  end
  next_index = (offset or 0) % #tokens
end

function request()
  next_index = next_index % #tokens + 1
  return wrk.format("POST", "/ping/" .. tokens[next_index])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"statusErrors":%d,"timeouts":%d,"p50Us":%d,"p99Us":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
