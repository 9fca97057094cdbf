use super::helpers::resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags datastore, cache and search ports published to the host on a non-loopback address:
    /// MySQL (3306), PostgreSQL (5432), SQL Server (1433), Redis (6379), MongoDB (27017),
    /// Elasticsearch/OpenSearch (9200, 9300), Memcached (11211), Cassandra (9042), CouchDB (5984).
    /// The container port decides. Ports bound to `127.0.0.1`, `::1` or `localhost` are not reported.
    ///
    /// ## Why is this bad?
    /// Other services reach the datastore over the Compose network by service name; publishing its
    /// port only serves clients outside, and datastores are the first thing scanners look for
    /// (unauthenticated Redis, Elasticsearch and MongoDB instances are found within hours).
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16
    ///     ports:
    ///       - "5432:5432"
    /// ```
    ///
    /// Use instead: no `ports:` (services use `db:5432`), or a loopback binding for local tools.
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16
    ///     ports:
    ///       - "127.0.0.1:5432:5432"
    /// ```
    ///
    /// ## References
    /// - [Networking in Compose](https://docs.docker.com/compose/how-tos/networking/)
    /// - [Compose file reference: ports](https://docs.docker.com/reference/compose-file/services/#ports)
    pub struct DatastorePortPublished {
        code: "CMP019",
        name: "datastore-port-published",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [],
    }
}

const DATASTORES: [(u16, &str); 11] = [
    (1433, "SQL Server"),
    (3306, "MySQL"),
    (5432, "PostgreSQL"),
    (5984, "CouchDB"),
    (6379, "Redis"),
    (9042, "Cassandra"),
    (9200, "Elasticsearch"),
    (9300, "Elasticsearch transport"),
    (11211, "Memcached"),
    (27017, "MongoDB"),
    (33060, "MySQL X"),
];

fn is_loopback(ip: &str) -> bool {
    let ip = ip.trim_matches(['[', ']']);
    ip.starts_with("127.") || ip == "::1" || ip == "localhost"
}

impl Rule for DatastorePortPublished {
    type Input = ComposeInput;
    type Options = NoOptions;

    fn check(&self, input: &ComposeInput, ctx: &mut RuleCtx) {
        for service in input.compose.services() {
            for port in service.ports() {
                if port.published.is_none() || port.host_ip.as_deref().is_some_and(is_loopback) {
                    continue;
                }
                let targets = port.target_ports();
                let Some((number, what)) = DATASTORES.iter().find(|(p, _)| targets.contains(p))
                else {
                    continue;
                };
                ctx.report(
                    port.published_range(),
                    format!(
                        "service `{}` publishes the {what} port {number} to the host",
                        service.name_str()
                    ),
                )
                .help("remove the port (services reach it over the Compose network) or bind `127.0.0.1`")
                .resource(resource(&service));
            }
        }
    }
}
