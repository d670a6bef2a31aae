#!/usr/bin/env python3
"""Checks docs/envoy-ext-authz.yaml without Envoy (not in Debian 12).

It parses the file as YAML and checks what its comments promise: the
client's identity and X-Toegang-* headers are removed before any other
filter, x-insz is set by jwt_authn from the verified token, ext_authz
sends toegang x-insz alone, fails closed, names the application itself,
and the clusters it uses exist. It does not check Envoy's schema: that
needs `envoy --mode validate`.

  tests/e2e/envoy_snippet.py [PATH-TO-envoy-ext-authz.yaml]

Exit 77 (CTest: skipped) when the python3 yaml module is missing, except
with CI=true, where that fails: tools/setup-deps.sh installs python3-yaml.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PATH = (sys.argv[1] if len(sys.argv) > 1 else
        os.path.join(HERE, "..", "..", "docs", "envoy-ext-authz.yaml"))

try:
    import yaml
except ImportError:
    if os.environ.get("CI") == "true":
        print("envoy_snippet: FAILED: the python3 yaml module is missing, and"
              " CI must run this test (tools/setup-deps.sh installs"
              " python3-yaml)", file=sys.stderr)
        sys.exit(1)
    print("envoy_snippet: skipped: the python3 yaml module is missing"
          " (tools/setup-deps.sh installs python3-yaml)")
    sys.exit(77)

passed = 0
failed = 0


def expect(what, want, got):
    global passed, failed
    if want == got:
        passed += 1
        print(f"ok: {what}")
    else:
        failed += 1
        print(f"FAILED: {what}: wanted {want!r}, got {got!r}", file=sys.stderr)


with open(PATH, encoding="utf-8") as f:
    config = yaml.safe_load(f)

resources = config["static_resources"]
hcm = resources["listeners"][0]["filter_chains"][0]["filters"][0]
expect("the listener's filter is the HTTP connection manager",
       "envoy.filters.network.http_connection_manager", hcm["name"])
filters = hcm["typed_config"]["http_filters"]
names = [f["name"] for f in filters]
expect("the HTTP filters, in order",
       ["envoy.filters.http.header_mutation", "envoy.filters.http.jwt_authn",
        "envoy.filters.http.ext_authz", "envoy.filters.http.router"], names)
by_name = {f["name"]: f["typed_config"] for f in filters}
for name, config_type in [
        ("envoy.filters.http.header_mutation",
         "header_mutation.v3.HeaderMutation"),
        ("envoy.filters.http.jwt_authn", "jwt_authn.v3.JwtAuthentication"),
        ("envoy.filters.http.ext_authz", "ext_authz.v3.ExtAuthz"),
        ("envoy.filters.http.router", "router.v3.Router")]:
    expect(f"{name} has its own config type",
           "type.googleapis.com/envoy.extensions.filters.http." + config_type,
           by_name.get(name, {}).get("@type"))

# 1. Every identity and X-Toegang-* request header of the client goes.
mutation = by_name.get("envoy.filters.http.header_mutation", {})
removed = {m.get("remove") for m in
           mutation.get("mutations", {}).get("request_mutations", [])}
for header in ["x-insz", "x-toegang-app", "x-toegang-hco",
               "x-toegang-at-least", "x-toegang-facilities",
               "x-toegang-revision"]:
    expect(f"the client's {header} is removed first", True, header in removed)
expect("header_mutation only removes (adds nothing)",
       True, all(set(m) == {"remove"} for m in
                 mutation.get("mutations", {}).get("request_mutations", [])))

# 2. x-insz comes from the verified token.
jwt = by_name.get("envoy.filters.http.jwt_authn", {})
providers = jwt.get("providers", {})
claim_headers = [c["header_name"] for p in providers.values()
                 for c in p.get("claim_to_headers", [])]
expect("jwt_authn sets x-insz from a claim", ["x-insz"], claim_headers)
expect("jwt_authn requires a token on /eloket/", True,
       any(r.get("match", {}).get("prefix") == "/eloket/" and
           r.get("requires", {}).get("provider_name") in providers
           for r in jwt.get("rules", [])))

# 3. ext_authz: x-insz alone, fail closed, the operator's application.
authz = by_name.get("envoy.filters.http.ext_authz", {})
expect("ext_authz sends toegang x-insz alone",
       [{"exact": "x-insz"}], authz.get("allowed_headers", {}).get("patterns"))
service = authz.get("http_service", {})
request = service.get("authorization_request", {})
expect("no deprecated authorization_request.allowed_headers",
       False, "allowed_headers" in request)
expect("ext_authz fails closed", False, authz.get("failure_mode_allow"))
expect("ext_authz asks /v1/ext_authz", "/v1/ext_authz",
       service.get("path_prefix"))
expect("Envoy names the application itself",
       [{"key": "x-toegang-app", "value": "ama-wvg"}],
       request.get("headers_to_add"))
expect("toegang's answer headers go upstream",
       [{"exact": "x-toegang-facilities"}, {"exact": "x-toegang-revision"}],
       service.get("authorization_response", {})
       .get("allowed_upstream_headers", {}).get("patterns"))

# The clusters the filters name exist; toegang is on loopback.
clusters = {c["name"]: c for c in resources["clusters"]}
used = [service.get("server_uri", {}).get("cluster")]
used += [p["remote_jwks"]["http_uri"]["cluster"] for p in providers.values()]
used += [r["route"]["cluster"] for vh in
         hcm["typed_config"]["route_config"]["virtual_hosts"]
         for r in vh["routes"]]
for name in used:
    expect(f"the cluster {name} exists", True, name in clusters)
toegang = clusters.get(service.get("server_uri", {}).get("cluster"), {})
addresses = [e["endpoint"]["address"]["socket_address"]["address"]
             for ep in toegang.get("load_assignment", {}).get("endpoints", [])
             for e in ep["lb_endpoints"]]
expect("toegang listens on loopback", ["127.0.0.1"], addresses)

print(f"{passed} passed, {failed} failed")
sys.exit(0 if failed == 0 else 1)
