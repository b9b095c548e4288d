-- wrk script: POST /v1/records, a new person per request; PREFER=respond-async for 202s.
local counter = 0
local prefer = os.getenv("PREFER")
local run = os.getenv("RUN") or "w"
request = function()
  counter = counter + 1
  local body = string.format('{"name":"Wrk %s Person %d","dob":"1980-%02d-%02d","favoriteColor":"teal"}', run, counter, counter % 12 + 1, counter % 28 + 1)
  local headers = { ["Content-Type"] = "application/json" }
  if prefer then headers["Prefer"] = prefer end
  return wrk.format("POST", "/v1/records", headers, body)
end
done = function(summary, latency, requests)
  io.write(string.format("p50 %.2f ms  p99 %.2f ms  max %.2f ms  non2xx/3xx %d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, summary.errors.status))
end
