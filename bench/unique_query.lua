-- wrk script: every request carries a query string no other request used, so each one
-- misses the page cache and renders the page from the database.
local counter = 0
local thread_id = 0
local threads = 0

setup = function(thread)
  thread:set("thread_id", threads)
  threads = threads + 1
end

-- Appended to the path's own query string when it has one.
local separator = string.find(wrk.path, "?", 1, true) and "&" or "?"

request = function()
  counter = counter + 1
  return wrk.format("GET", wrk.path .. separator .. "r=" .. thread_id .. "-" .. counter)
end
