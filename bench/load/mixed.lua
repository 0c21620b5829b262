-- wrk script: mixed traffic from a list of URLs, one request per line picked at random.
-- A line "KEY /api/v1/..." is sent with the next partner key (keys rotate); a plain
-- "/path" line is sent without one; a "BUST /api/v1/stats/?..." line is sent with a key and
-- a min_offers value no other request used (a parameter the list reads, so it misses the
-- response cache, whose keys ignore parameters an endpoint does not read). Usage:
--   wrk -c64 -d60s -s mixed.lua http://127.0.0.1:8790 -- urls.txt key1,key2,...
-- On exit it prints one line "STATUS <code>=<count> ..." with every status seen.

local urls = {}
local keys = {}
local threads = {}

local function split(text, sep)
  local items = {}
  for item in string.gmatch(text, "[^" .. sep .. "]+") do
    items[#items + 1] = item
  end
  return items
end

setup = function(thread)
  threads[#threads + 1] = thread
  thread:set("id", #threads)
end

init = function(args)
  for line in io.lines(args[1]) do
    if line ~= "" then
      local mark, path = string.match(line, "^([A-Z]+) (.+)$")
      urls[#urls + 1] = { path = path or line, keyed = mark == "KEY", bust = mark == "BUST" }
    end
  end
  keys = split(args[2] or "", ",")
  math.randomseed(os.time() * 100 + id)
  statuses = {}
  turn = 0
  counter = 0
end

request = function()
  local url = urls[math.random(#urls)]
  local path = url.path
  if url.bust then
    counter = counter + 1
    -- Distinct across threads (ids from 1, at most 99 threads) and small enough that the
    -- list still holds the slices with many offers.
    path = path .. "&min_offers=" .. (counter * 100 + id)
  end
  if (url.keyed or url.bust) and #keys > 0 then
    turn = turn % #keys + 1
    return wrk.format("GET", path, { ["Authorization"] = "Api-Key " .. keys[turn] })
  end
  return wrk.format("GET", path)
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    for status, count in pairs(counts) do
      total[status] = (total[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(total) do
    parts[#parts + 1] = status .. "=" .. count
  end
  table.sort(parts)
  io.write("STATUS " .. table.concat(parts, " ") .. "\n")
end
