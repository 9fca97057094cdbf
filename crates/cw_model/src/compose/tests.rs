use super::*;

const SRC: &str = r#"version: "3.8"
services:
  db:
    image: postgres:16
    ports:
      - "127.0.0.1:5432:5432"
      - "8000-8002:8000-8002/udp"
      - 80
      - target: 6379
        published: 6379
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock:ro
      - data:/var/lib/data
      - /anon
      - type: bind
        source: /etc
        target: /host-etc
    environment:
      - PASSWORD=hunter2
      - HOME
    healthcheck:
      test: ["NONE"]
    deploy:
      resources:
        limits:
          memory: 512M
    depends_on:
      cache:
        condition: service_healthy
  app:
    build: .
    environment:
      TOKEN: abc
      EMPTY:
    depends_on: [db]
"#;

#[test]
fn model() {
    let f = ComposeFile::from_source(SRC);
    assert!(f.version().is_some());
    let services: Vec<_> = f.services().collect();
    assert_eq!(services.len(), 2);
    let db = services[0];
    assert_eq!(db.name_str(), "db");
    let ports = db.ports();
    assert_eq!(ports.len(), 4);
    assert_eq!(ports[0].host_ip.as_deref(), Some("127.0.0.1"));
    assert!(!ports[0].binds_all_interfaces());
    assert_eq!(ports[1].target_ports(), vec![8000, 8001, 8002]);
    assert_eq!(ports[1].protocol.as_deref(), Some("udp"));
    assert!(ports[1].binds_all_interfaces());
    assert!(!ports[2].binds_all_interfaces());
    assert!(ports[3].binds_all_interfaces());
    let vols = db.volumes();
    let src = vols[0].source.clone().expect("source");
    assert_eq!(src.value, "/var/run/docker.sock");
    assert_eq!(src.range.slice(SRC), "/var/run/docker.sock");
    assert_eq!(vols[0].mode.clone().map(|m| m.value), Some("ro"));
    assert!(vols[1].host_path().is_none());
    assert!(vols[2].source.is_none());
    assert_eq!(vols[3].host_path().map(|s| s.value), Some("/etc"));
    let env = db.environment();
    assert_eq!(env[0].name.range.slice(SRC), "PASSWORD");
    assert_eq!(
        env[0].value.clone().map(|v| v.range.slice(SRC)),
        Some("hunter2")
    );
    assert!(env[1].value.is_none());
    assert!(db.healthcheck().is_some_and(|h| h.is_disabled()));
    assert_eq!(db.memory_limit().and_then(|n| n.as_str()), Some("512M"));
    assert_eq!(
        db.depends_on()[0].condition.clone().map(|c| c.value),
        Some("service_healthy")
    );
    let app = services[1];
    assert_eq!(
        app.build().and_then(|b| b.context()).map(|c| c.value),
        Some(".")
    );
    let env = app.environment();
    assert_eq!(env[0].value.clone().map(|v| v.value), Some("abc"));
    assert!(env[1].value.is_none());
    assert_eq!(app.depends_on()[0].name.value, "db");
}
