-- wrk script: POST /v1/records, a new person per request; PREFER=respond-async for 202s; API_KEY=<ingest key> for X-Api-Key.
-- Each wrk thread numbers its own people; the thread number keeps two threads from sending the same person.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

local counter = 0
local prefer = os.getenv("PREFER")
local api_key = os.getenv("API_KEY")
local run = os.getenv("RUN") or "w"
request = function()
  counter = counter + 1
  local body = string.format('{"name":"Wrk %s T%d Person %d","dob":"1980-%02d-%02d","favoriteColor":"teal"}',
    run, thread_number or 0, counter, counter % 12 + 1, counter % 28 + 1)
  local headers = { ["Content-Type"] = "application/json" }
  if prefer then headers["Prefer"] = prefer end
  if api_key then headers["X-Api-Key"] = api_key end
  return wrk.format("POST", "/v1/records", headers, body)
end
done = function(summary, latency, requests)
  io.write(string.format("p50 %.2f ms  p99 %.2f ms  max %.2f ms  non2xx/3xx %d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, summary.errors.status))
end
