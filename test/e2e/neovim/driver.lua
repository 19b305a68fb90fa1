-- Runs after the README's Neovim configuration (loaded first, unchanged): opens every file the
-- CLI reported, waits for the server's diagnostics, asks for code actions on each, and writes
-- what Neovim received to $PINNING_AUDIT_E2E_OUTPUT as JSON. Neovim 0.7 API only.
local output_file = os.getenv('PINNING_AUDIT_E2E_OUTPUT')
local expected_file = os.getenv('PINNING_AUDIT_E2E_EXPECTED')
local timeout_ms = tonumber(os.getenv('PINNING_AUDIT_E2E_TIMEOUT_MS') or '30000')

local function write_result(result)
  vim.fn.writefile({ vim.fn.json_encode(result) }, output_file)
end

local severity_names = { [1] = 'error', [2] = 'warning', [3] = 'note', [4] = 'hint' }

-- The diagnostic in LSP form, as Neovim's own code-action request builds it (range, code, data…).
local function lsp_diagnostic(buf, d)
  for _, candidate in ipairs(vim.lsp.diagnostic.get_line_diagnostics(buf, d.lnum)) do
    if candidate.range.start.character == d.col and candidate.message == d.message then return candidate end
  end
  return nil
end

local function run()
  local expected = vim.fn.json_decode(table.concat(vim.fn.readfile(expected_file), '\n'))
  local wanted = {}
  for _, finding in ipairs(expected) do
    wanted[finding.path] = (wanted[finding.path] or 0) + 1
  end

  local buffers = {}
  for path, _ in pairs(wanted) do
    vim.cmd('edit ' .. vim.fn.fnameescape(path))
    buffers[path] = vim.api.nvim_get_current_buf()
  end

  local function settled()
    for path, count in pairs(wanted) do
      if #vim.diagnostic.get(buffers[path]) ~= count then return false end
    end
    return true
  end
  local arrived = vim.wait(timeout_ms, settled, 50)

  local result = { arrived = arrived, diagnostics = {}, clients = {}, codeActions = {}, filetypes = {} }
  for _, client in pairs(vim.lsp.get_active_clients()) do
    table.insert(result.clients, {
      name = client.name,
      codeActionProvider = client.server_capabilities.codeActionProvider and true or false,
    })
  end
  for path, buf in pairs(buffers) do
    result.filetypes[path] = vim.bo[buf].filetype
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      local lsp = lsp_diagnostic(buf, d) or {}
      local line = string.format('%s:%d:%d %s %s %s', path, d.lnum + 1, d.col + 1,
        severity_names[d.severity] or tostring(d.severity), tostring(lsp.code or d.code), d.message)
      table.insert(result.diagnostics, line)
      if lsp.range then
        local params = {
          textDocument = { uri = vim.uri_from_bufnr(buf) },
          range = lsp.range,
          context = { diagnostics = { lsp }, only = { 'quickfix' } },
        }
        local responses = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 10000) or {}
        local titles = {}
        for _, response in pairs(responses) do
          for _, action in ipairs(response.result or {}) do
            local covers = false
            for _, fixed in ipairs(action.diagnostics or {}) do
              if fixed.code == lsp.code and fixed.range.start.line == lsp.range.start.line then covers = true end
            end
            table.insert(titles, { title = action.title, kind = action.kind, hasEdit = action.edit ~= nil, coversDiagnostic = covers })
          end
        end
        result.codeActions[line] = titles
      end
    end
  end
  table.sort(result.diagnostics)
  write_result(result)
end

local ok, err = pcall(run)
if not ok then
  write_result({ error = tostring(err) })
  vim.cmd('cquit 1')
end
vim.cmd('qall!')
