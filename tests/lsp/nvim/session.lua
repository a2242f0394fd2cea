-- An editing session in Neovim 0.7 against `lintmux lsp`, with nothing but the built-in `vim.lsp`
-- client. It opens files of a repository, edits one without saving, applies a quick fix and a
-- formatting the server offers, and stops the server; everything it saw goes to a JSON-lines file that
-- drive.py checks. This script judges nothing itself: it waits, acts and records, and a wait that ends
-- without what it waited for is recorded as such ("kind": "timeout").
--
-- Run as `nvim --headless --clean -c 'luafile session.lua'` with, in the environment:
--   LINTMUX_NVIM_CMD     the lintmux executable
--   LINTMUX_NVIM_ROOT    the repository (a git checkout with lintmux.toml)
--   LINTMUX_NVIM_FILES   root-relative files to open, comma-separated; the first is a Python file
--   LINTMUX_NVIM_OPTIONS the server's initializationOptions, as JSON
--   LINTMUX_NVIM_UNFORMATTED a file whose text the Python buffer is given before formatting
--   LINTMUX_NVIM_OUT     where the records go
--   LINTMUX_NVIM_WAIT_MS how long each wait may take (default 90000)
-- The exit code is 0 when the session ran to its end (whatever it saw), 3 when the script itself
-- failed (the error is recorded too).

local env = function(name)
  local v = os.getenv(name)
  if v == nil or v == "" then
    error("the environment has no " .. name)
  end
  return v
end

local out = assert(io.open(env("LINTMUX_NVIM_OUT"), "w"))
local function record(t)
  out:write(vim.fn.json_encode(t), "\n")
  out:flush()
end

local WAIT_MS = tonumber(os.getenv("LINTMUX_NVIM_WAIT_MS") or "90000")
local root = env("LINTMUX_NVIM_ROOT")
local files = vim.split(env("LINTMUX_NVIM_FILES"), ",", { plain = true })

-- What the server published, by URI: every notification, in order, as it came.
local published = {}
local publish_count = 0
local messages = {}

local root_uri = vim.uri_from_fname(root)

local function on_publish(err, result, ctx, config)
  publish_count = publish_count + 1
  published[result.uri] = published[result.uri] or {}
  table.insert(published[result.uri], result)
  -- Each notification in short (source/code@line), so the order of what came can be told.
  local keys = {}
  for _, d in ipairs(result.diagnostics) do
    table.insert(keys, string.format("%s/%s@%d", d.source or "", tostring(d.code), d.range.start.line))
  end
  out:write(vim.fn.json_encode({
    kind = "publish",
    n = publish_count,
    file = result.uri:sub(#root_uri + 2),
    version = result.version or vim.NIL,
    diagnostics = keys,
  }), "\n")
  return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
end

local function on_message(kind)
  return function(_, result)
    table.insert(messages, { kind = kind, type = result.type, message = result.message })
    record({ kind = kind, type = result.type, message = result.message })
  end
end

local exit_status = nil
local sent_capabilities = nil

local client_id = vim.lsp.start_client({
  name = "lintmux",
  cmd = { env("LINTMUX_NVIM_CMD"), "lsp" },
  root_dir = root,
  init_options = vim.fn.json_decode(env("LINTMUX_NVIM_OPTIONS")),
  handlers = {
    ["textDocument/publishDiagnostics"] = on_publish,
    ["window/showMessage"] = on_message("showMessage"),
    ["window/logMessage"] = on_message("logMessage"),
  },
  before_init = function(params)
    sent_capabilities = params.capabilities
  end,
  on_exit = function(code, signal)
    exit_status = { code = code, signal = signal }
  end,
})

local function client()
  return vim.lsp.get_client_by_id(client_id)
end

-- Waits for `cond`; records a timeout (with what `seen` says) when it never holds.
local function wait_for(what, cond, seen)
  local ok = vim.wait(WAIT_MS, cond, 50)
  if not ok then
    record({ kind = "timeout", what = what, waited_ms = WAIT_MS, seen = seen and seen() or vim.NIL })
  end
  return ok
end

-- Waits until nothing more is published for `quiet_ms`.
local function settle(quiet_ms)
  local last = publish_count
  local since = vim.loop.now()
  vim.wait(WAIT_MS, function()
    if publish_count ~= last then
      last = publish_count
      since = vim.loop.now()
    end
    return vim.loop.now() - since >= quiet_ms
  end, 50)
end

local function last_publish(bufnr)
  local list = published[vim.uri_from_bufnr(bufnr)]
  return list and list[#list] or nil
end

-- Has the server published diagnostics for the buffer's current content?
local function current(bufnr)
  local p = last_publish(bufnr)
  return p ~= nil and p.version == vim.lsp.util.buf_versions[bufnr]
end

local function rel(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  return name:sub(#root + 2)
end

-- The buffer's diagnostics as Neovim holds them (vim.diagnostic: 0-based lines, byte columns), each
-- with the start character of the LSP diagnostic it came from (in the negotiated encoding).
local function record_diagnostics(phase, bufnr)
  local p = last_publish(bufnr)
  local lsp = p and p.diagnostics or {}
  local shown = vim.diagnostic.get(bufnr)
  table.sort(shown, function(a, b)
    if a.lnum ~= b.lnum then return a.lnum < b.lnum end
    if a.col ~= b.col then return a.col < b.col end
    return (a.source or "") .. tostring(a.code) < (b.source or "") .. tostring(b.code)
  end)
  record({
    kind = "published",
    phase = phase,
    file = rel(bufnr),
    version = p and p.version or vim.NIL,
    buffer_version = vim.lsp.util.buf_versions[bufnr],
    lsp_count = #lsp,
    shown_count = #shown,
  })
  for _, d in ipairs(shown) do
    local raw = d.user_data and d.user_data.lsp or {}
    -- The LSP diagnostic this one came from: same message, source and code, nearest start line.
    local character = vim.NIL
    for _, l in ipairs(lsp) do
      if l.message == d.message and l.source == d.source and l.code == raw.code
        and l.range.start.line == d.lnum then
        character = l.range.start.character
        break
      end
    end
    record({
      kind = "diagnostic",
      phase = phase,
      file = rel(bufnr),
      source = d.source or vim.NIL,
      code = d.code or vim.NIL,
      lnum = d.lnum,
      col = d.col,
      character = character,
      severity = d.severity,
      message = d.message,
    })
  end
end

local function has(bufnr, source, code, lnum)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == source and d.code == code and d.lnum == lnum then
      return true
    end
  end
  return false
end

local function lsp_diagnostic(bufnr, source, code, line)
  local p = last_publish(bufnr)
  for _, d in ipairs(p and p.diagnostics or {}) do
    if d.source == source and d.code == code and d.range.start.line == line then
      return d
    end
  end
  return nil
end

local function lines(bufnr)
  return vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
end

local function read(path)
  local f = io.open(path, "rb")
  if not f then return vim.NIL end
  local text = f:read("*a")
  f:close()
  return text
end

local function session()
  if not client_id then
    record({ kind = "error", message = "vim.lsp.start_client returned nothing: the server did not start" })
    return
  end
  record({ kind = "nvim", version = vim.version() })
  local initialized = wait_for("the initialize handshake", function()
    return client() ~= nil and client().initialized
  end)
  if not initialized then return end
  local c = client()
  local caps = c.server_capabilities
  record({
    kind = "init",
    -- What Neovim offered: 0.7 sends no general.positionEncodings, so the server must choose UTF-16.
    client_general = (sent_capabilities and sent_capabilities.general) or vim.NIL,
    client_offset_encoding_capability = (sent_capabilities and sent_capabilities.offsetEncoding) or vim.NIL,
    server_position_encoding = caps.positionEncoding or vim.NIL,
    offset_encoding = c.offset_encoding,
    formatting = caps.documentFormattingProvider or vim.NIL,
    code_action_kinds = (type(caps.codeActionProvider) == "table" and caps.codeActionProvider.codeActionKinds) or vim.NIL,
    text_document_sync = caps.textDocumentSync or vim.NIL,
  })

  -- 1. Open the files; wait until each has the diagnostics of its content, and until nothing more comes.
  local bufs = {}
  for _, f in ipairs(files) do
    vim.cmd("edit " .. vim.fn.fnameescape(root .. "/" .. f))
    local bufnr = vim.api.nvim_get_current_buf()
    if vim.bo[bufnr].filetype == "" then
      record({ kind = "note", message = "no filetype detected for " .. f })
    end
    vim.lsp.buf_attach_client(bufnr, client_id)
    table.insert(bufs, bufnr)
  end
  local all_current = function()
    for _, b in ipairs(bufs) do
      if not current(b) then return false end
    end
    return true
  end
  local seen_versions = function()
    local s = {}
    for _, b in ipairs(bufs) do
      local p = last_publish(b)
      s[rel(b)] = { published = p and p.version or vim.NIL, buffer = vim.lsp.util.buf_versions[b] }
    end
    return s
  end
  if not wait_for("diagnostics for every opened file", all_current, seen_versions) then return end
  settle(2000)
  for _, b in ipairs(bufs) do
    record_diagnostics("open", b)
  end

  -- 2. An unsaved edit: `import os` as the first line of the Python buffer.
  local py = bufs[1]
  local py_path = root .. "/" .. files[1]
  vim.api.nvim_buf_set_lines(py, 0, 0, false, { "import os" })
  local f401 = function()
    return current(py) and has(py, "ruff", "F401", 0)
  end
  local ok = wait_for("ruff F401 on line 1 of the edited buffer", f401, function()
    return { versions = seen_versions(), buffer_first_line = lines(py)[1] }
  end)
  record_diagnostics("edited", py)
  record({ kind = "disk", phase = "edited", file = files[1], text = read(py_path) })
  if not ok then return end

  -- 3. The quick fix for that F401, asked for and applied as an editor does.
  local d = lsp_diagnostic(py, "ruff", "F401", 0)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(py) },
    range = d.range,
    context = { diagnostics = { d } },
  }
  local responses, why = vim.lsp.buf_request_sync(py, "textDocument/codeAction", params, WAIT_MS)
  local response = responses and responses[client_id]
  local actions = (response and response.result) or {}
  local titles = {}
  local fix = nil
  for _, a in ipairs(actions) do
    table.insert(titles, { title = a.title, kind = a.kind or vim.NIL })
    if fix == nil and a.kind == "quickfix" and a.edit and a.title:find("F401", 1, true) then
      fix = a
    end
  end
  record({
    kind = "code_actions",
    sent = params,
    error = (response and response.err) or why or vim.NIL,
    actions = titles,
    chosen = fix and fix.title or vim.NIL,
  })
  if fix == nil then return end
  vim.lsp.util.apply_workspace_edit(fix.edit, client().offset_encoding)
  record({ kind = "buffer", phase = "fixed", file = files[1], lines = lines(py) })
  ok = wait_for("diagnostics without the F401 on line 1 after the quick fix", function()
    return current(py) and not has(py, "ruff", "F401", 0)
  end, function()
    return { versions = seen_versions(), f401_still_there = has(py, "ruff", "F401", 0) }
  end)
  record_diagnostics("fixed", py)
  if not ok then return end

  -- 4. Formatting: the buffer is given unformatted text, and the server's edits are applied to it.
  local unformatted = vim.split(read(env("LINTMUX_NVIM_UNFORMATTED")), "\n", { plain = true })
  if unformatted[#unformatted] == "" then table.remove(unformatted) end
  vim.api.nvim_buf_set_lines(py, 0, -1, false, unformatted)
  local fparams = {
    textDocument = { uri = vim.uri_from_bufnr(py) },
    options = { tabSize = 4, insertSpaces = true },
  }
  responses, why = vim.lsp.buf_request_sync(py, "textDocument/formatting", fparams, WAIT_MS)
  response = responses and responses[client_id]
  local edits = response and response.result
  record({
    kind = "formatting",
    error = (response and response.err) or why or vim.NIL,
    edits = edits or vim.NIL,
  })
  if edits and edits ~= vim.NIL then
    vim.lsp.util.apply_text_edits(edits, py, client().offset_encoding)
  end
  record({ kind = "buffer", phase = "formatted", file = files[1], lines = lines(py),
           eol = vim.bo[py].eol })
  record({ kind = "disk", phase = "formatted", file = files[1], text = read(py_path) })
end

local ok, err = xpcall(session, debug.traceback)
if not ok then
  record({ kind = "error", message = tostring(err) })
end

-- 5. Stop the server as Neovim does (shutdown, exit) and wait for its process to end.
if client_id and client() then
  vim.lsp.stop_client(client_id)
  local stopped = vim.wait(WAIT_MS, function() return exit_status ~= nil end, 50)
  if not stopped then
    record({ kind = "timeout", what = "the server's exit after shutdown and exit", waited_ms = WAIT_MS })
  end
end
record({ kind = "exit", status = exit_status or vim.NIL })
record({ kind = "done", completed = ok })
out:close()
if ok then
  vim.cmd("qa!")
else
  vim.cmd("cquit 3")
end
