-- wrk script: GET /v1/patients/{random id}?asOf={random time within the seeded 7 hours}
local ids = {}
for line in io.lines("ids.txt") do ids[#ids + 1] = line end
math.randomseed(42)
request = function()
  local id = ids[math.random(#ids)]
  local seconds = math.random(0, 7 * 3600 - 1)
  local t = string.format("2026-11-22T%02d:%02d:%02d.%06dZ", 4 + math.floor(seconds / 3600), math.floor((seconds % 3600) / 60), seconds % 60, math.random(0, 999999))
  return wrk.format("GET", "/v1/patients/" .. id .. "?asOf=" .. t)
end
done = function(summary, latency, requests)
  io.write(string.format("p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  max %.2f ms  non2xx/3xx %d\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000, summary.errors.status))
end
