// The graphql-http package's server audits (GraphQL over HTTP spec) against a live gongxu endpoint.
// Usage: node graphql_http_audit.cjs <modules folder holding node_modules/graphql-http> <url>
// Prints one JSON object: {ok, warn, error, results: [{id, name, status, reason}]}.
const path = require("path");
const [modules, url] = process.argv.slice(2);
const { serverAudits } = require(path.join(path.resolve(modules), "node_modules", "graphql-http"));

(async () => {
  const results = [];
  for (const audit of serverAudits({ url, fetchFn: fetch })) {
    const result = await audit.fn();
    results.push({ id: audit.id, name: audit.name, status: result.status, reason: result.reason || null });
  }
  const count = (status) => results.filter((r) => r.status === status).length;
  console.log(JSON.stringify({ ok: count("ok"), warn: count("warn"), error: count("error"), results }));
})();
