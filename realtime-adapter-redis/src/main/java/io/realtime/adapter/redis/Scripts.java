package io.realtime.adapter.redis;

/**
 * The engine's Lua scripts. Each runs atomically in Redis, takes its time from Redis
 * ({@code TIME}, the same clock for every node) and touches only the keys it is given.
 */
final class Scripts {
  private Scripts() {}

  private static final String NOW = """
      local function now_ms()
        local t = redis.call('TIME')
        return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      end
      """;

  /** A topic's epoch, created (with an empty stream) when its meta key is missing. */
  private static final String EPOCH = """
      local function epoch_of(meta, stream, new_epoch, meta_ttl)
        local epoch = redis.call('HGET', meta, 'e')
        if not epoch then
          epoch = new_epoch
          redis.call('DEL', stream)
          redis.call('HSET', meta, 'e', epoch, 'o', 0)
        end
        redis.call('PEXPIRE', meta, meta_ttl)
        return epoch
      end
      local function offset_of(entry_id)
        return tonumber(string.match(entry_id, '^(%d+)'))
      end
      -- drops entries older than min_t from the stream's head, at most max_entries of them
      local function trim_age(stream, min_t, max_entries)
        local count = 1
        local seen = 0
        while seen < max_entries do
          local entries = redis.call('XRANGE', stream, '-', '+', 'COUNT', count)
          local cut = nil
          local all = true
          for _, e in ipairs(entries) do
            if tonumber(e[2][2]) < min_t then cut = e[1] else all = false; break end
          end
          if cut == nil then return end
          redis.call('XTRIM', stream, 'MINID', (offset_of(cut) + 1) .. '-0')
          seen = seen + #entries
          if not all or #entries < count then return end
          count = 100
        end
      end
      """;

  /**
   * Assigns the next position and publishes the positioned message, atomically.
   * KEYS: meta, stream. ARGV: channel, body, history size, history age ms, meta TTL ms, a fresh
   * epoch. Returns {offset, epoch}.
   */
  static final LuaScript PUBLISH = new LuaScript("publish", NOW + EPOCH + """
      local size = tonumber(ARGV[3])
      local age = tonumber(ARGV[4])
      local epoch = epoch_of(KEYS[1], KEYS[2], ARGV[6], tonumber(ARGV[5]))
      local offset = redis.call('HINCRBY', KEYS[1], 'o', 1)
      if size > 0 and age > 0 then
        local now = now_ms()
        redis.call('XADD', KEYS[2], 'MAXLEN', size, offset .. '-0', 't', now, 'd', ARGV[2])
        trim_age(KEYS[2], now - age, 1000)
        redis.call('PEXPIRE', KEYS[2], age)
      end
      local id = offset .. '-' .. epoch
      redis.call('PUBLISH', ARGV[1], #id .. ':' .. id .. ARGV[2])
      return {offset, epoch}
      """);

  /**
   * What the stream holds after a position. KEYS: meta, stream. ARGV: has since (1/0), since
   * offset, since epoch, history age ms, meta TTL ms, a fresh epoch, max entries. Returns
   * {epoch, head, recovered (1/0), id1, body1, id2, body2, ...}.
   */
  static final LuaScript SINCE = new LuaScript("since", NOW + EPOCH + """
      local epoch = epoch_of(KEYS[1], KEYS[2], ARGV[6], tonumber(ARGV[5]))
      local head = tonumber(redis.call('HGET', KEYS[1], 'o'))
      local age = tonumber(ARGV[4])
      local limit = tonumber(ARGV[7])
      if age > 0 then
        trim_age(KEYS[2], now_ms() - age, limit + 100)
      end
      local first = head + 1
      local oldest = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)
      if #oldest > 0 then first = offset_of(oldest[1][1]) end
      local recovered = 0
      local from = '-'
      if ARGV[1] == '1' and ARGV[3] == epoch then
        local since = tonumber(ARGV[2])
        if since > head then
          return {epoch, head, 0}
        end
        if since >= first - 1 then recovered = 1 end
        from = '(' .. since .. '-0'
      end
      local out = {epoch, head, recovered}
      if limit > 0 then
        for _, e in ipairs(redis.call('XRANGE', KEYS[2], from, '+', 'COUNT', limit)) do
          out[#out + 1] = e[1]
          out[#out + 1] = e[2][4]
        end
      end
      return out
      """);

  /**
   * Presence scripts share KEYS: presence, expiry, users, the topic's channel. A change of who
   * is present is published on the topic's channel as {@code P kind field(origin) user}
   * ({@link PresenceChange}): kind {@code j} or {@code l}; origin the node that made it, empty
   * for what a script found (expiry) or restored (refresh), which every node announces.
   */
  private static final String PRESENCE = NOW + """
      local h, z, u, ch = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
      local function user_of(v)
        return string.sub(v, string.find(v, '\\n', 1, true) + 1)
      end
      local function announce(kind, origin, user)
        redis.call('PUBLISH', ch, 'P' .. kind .. #origin .. ':' .. origin .. user)
      end
      -- removes expired connections; returns the users that no connection holds any more
      local function sweep(now)
        local left = {}
        for _, c in ipairs(redis.call('ZRANGEBYSCORE', z, '-inf', now, 'LIMIT', 0, 1000)) do
          local v = redis.call('HGET', h, c)
          redis.call('HDEL', h, c)
          redis.call('ZREM', z, c)
          if v then
            local user = user_of(v)
            if redis.call('HINCRBY', u, user, -1) <= 0 then
              redis.call('HDEL', u, user)
              left[#left + 1] = user
              announce('l', '', user)
            end
          end
        end
        return left
      end
      local function add(conn, node, user, expires)
        local joined = false
        if redis.call('HEXISTS', h, conn) == 0 then
          joined = redis.call('HINCRBY', u, user, 1) == 1
          redis.call('HSET', h, conn, node .. '\\n' .. user)
        end
        redis.call('ZADD', z, expires, conn)
        return joined
      end
      local function keep(ttl)
        redis.call('PEXPIRE', h, ttl)
        redis.call('PEXPIRE', z, ttl)
        redis.call('PEXPIRE', u, ttl)
      end
      """;

  /** ARGV: conn, node, user, ttl ms. Returns {joined, left...}. */
  static final LuaScript PRESENCE_JOIN = new LuaScript("presence-join", PRESENCE + """
      local now = now_ms()
      local ttl = tonumber(ARGV[4])
      local left = sweep(now)
      local joined = add(ARGV[1], ARGV[2], ARGV[3], now + ttl)
      if joined then announce('j', ARGV[2], ARGV[3]) end
      keep(ttl)
      local out = {joined and 1 or 0}
      for _, l in ipairs(left) do out[#out + 1] = l end
      return out
      """);

  /** ARGV: conn, ttl ms, node. Returns {gone user or '', left...}. */
  static final LuaScript PRESENCE_LEAVE = new LuaScript("presence-leave", PRESENCE + """
      local now = now_ms()
      local left = sweep(now)
      local gone = ''
      local v = redis.call('HGET', h, ARGV[1])
      if v then
        redis.call('HDEL', h, ARGV[1])
        redis.call('ZREM', z, ARGV[1])
        local user = user_of(v)
        if redis.call('HINCRBY', u, user, -1) <= 0 then
          redis.call('HDEL', u, user)
          gone = user
          announce('l', ARGV[3], user)
        end
      end
      local out = {gone}
      for _, l in ipairs(left) do out[#out + 1] = l end
      return out
      """);

  /**
   * Extends this node's entries (re-adding any that expired, announced as joins by no node).
   * ARGV: node, ttl ms, then conn, user pairs. Returns {{joined...}, {left...}}.
   */
  static final LuaScript PRESENCE_REFRESH = new LuaScript("presence-refresh", PRESENCE + """
      local now = now_ms()
      local ttl = tonumber(ARGV[2])
      local left = sweep(now)
      local joined = {}
      for i = 3, #ARGV, 2 do
        if add(ARGV[i], ARGV[1], ARGV[i + 1], now + ttl) then
          joined[#joined + 1] = ARGV[i + 1]
          announce('j', '', ARGV[i + 1])
        end
      end
      keep(ttl)
      return {joined, left}
      """);

  /** Returns {{left...}, {present users...}}. */
  static final LuaScript PRESENCE_USERS = new LuaScript("presence-users", PRESENCE + """
      local left = sweep(now_ms())
      return {left, redis.call('HKEYS', u)}
      """);

  /** KEYS: nodes, node info. ARGV: node id, info. Returns Redis time in ms. */
  static final LuaScript HEARTBEAT = new LuaScript("heartbeat", NOW + """
      local now = now_ms()
      redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
      redis.call('ZADD', KEYS[1], now, ARGV[1])
      return now
      """);

  /**
   * Forgets nodes silent for longer than the TTL. KEYS: nodes, node info. ARGV: ttl ms.
   * Returns {id1, last seen ms 1, info1, ...}.
   */
  static final LuaScript LIVE_NODES = new LuaScript("live-nodes", NOW + """
      local now = now_ms()
      local cutoff = now - tonumber(ARGV[1])
      for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. cutoff)) do
        redis.call('ZREM', KEYS[1], id)
        redis.call('HDEL', KEYS[2], id)
      end
      local out = {}
      local ids = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
      for i = 1, #ids, 2 do
        local info = redis.call('HGET', KEYS[2], ids[i])
        if info then
          out[#out + 1] = ids[i]
          out[#out + 1] = tonumber(ids[i + 1])
          out[#out + 1] = info
        end
      end
      return out
      """);

  /**
   * KEYS: record. ARGV: body hash, claim token, ttl ms. Returns {'acquired'}, {'conflict'},
   * {'pending'} or {'done', answer}.
   */
  static final LuaScript IDEMPOTENCY_CLAIM = new LuaScript("idempotency-claim", """
      if redis.call('SET', KEYS[1], 'P\\n' .. ARGV[1] .. '\\n' .. ARGV[2], 'NX', 'PX', ARGV[3]) then
        return {'acquired'}
      end
      local v = redis.call('GET', KEYS[1])
      local a = string.find(v, '\\n', 1, true)
      local b = string.find(v, '\\n', a + 1, true)
      if string.sub(v, a + 1, b - 1) ~= ARGV[1] then return {'conflict'} end
      if string.sub(v, 1, 1) == 'D' then return {'done', string.sub(v, b + 1)} end
      return {'pending'}
      """);

  /** KEYS: record. ARGV: body hash, claim token, answer, ttl ms. Returns 1 if stored. */
  static final LuaScript IDEMPOTENCY_COMPLETE = new LuaScript("idempotency-complete", """
      if redis.call('GET', KEYS[1]) ~= 'P\\n' .. ARGV[1] .. '\\n' .. ARGV[2] then return 0 end
      redis.call('SET', KEYS[1], 'D\\n' .. ARGV[1] .. '\\n' .. ARGV[3], 'PX', ARGV[4])
      return 1
      """);

  /** KEYS: record. ARGV: body hash, claim token. Returns 1 if the claim was released. */
  static final LuaScript IDEMPOTENCY_RELEASE = new LuaScript("idempotency-release", """
      if redis.call('GET', KEYS[1]) ~= 'P\\n' .. ARGV[1] .. '\\n' .. ARGV[2] then return 0 end
      redis.call('DEL', KEYS[1])
      return 1
      """);

  static final LuaScript[] ALL = {PUBLISH, SINCE, PRESENCE_JOIN, PRESENCE_LEAVE, PRESENCE_REFRESH,
      PRESENCE_USERS, HEARTBEAT, LIVE_NODES, IDEMPOTENCY_CLAIM, IDEMPOTENCY_COMPLETE,
      IDEMPOTENCY_RELEASE};
}
