"""The ontology as read-only MCP tools and resources for AI assistants (the official `mcp` SDK).

- `server`: the tools and resources on the SDK's low-level server, one guarded dispatch;
- `tools`: the tools built on app/services (search, nodes, paths, the headline question, roles,
  value chains, the schema); `queries`: one tool per saved query and read-only Cypher, through
  app/adhoc's runner;
- `resources`: the schema, the current release, the source documents;
- `guard`: rows and bytes caps with a truncation note, the time limit, the audit line;
- `stdio`: `itsm-ontology mcp`; `http`: the streamable HTTP transport at /mcp (ITSM_MCP_ENABLED).

See docs/mcp.md.
"""
