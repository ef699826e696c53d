"""A real Neo4j for gongxu, from one of three sources, in this order:

1. ``NEO4J_URI`` is set: that server (a user's own Neo4j, Aura or a cluster) is used as it is.
2. A Docker engine answers: ``docker compose up -d neo4j`` (see ``docker-compose.yml``).
3. Otherwise a local Neo4j 5.26 LTS Community server assembled from Maven Central jars
   (``graph/neo4j_runtime/pom.xml``) runs on the machine's Java 17+, bound to 127.0.0.1, its data in
   ``.cache/neo4j/instances/<instance>``. It is started detached, so one server serves a whole
   test session or a ``make run``; ``stop`` ends it cleanly (SIGTERM, then SIGKILL after a grace).

Everything that can go wrong for a user (no Java, no Maven, port taken, unreachable URI) raises
:class:`Neo4jSetupError`, whose message is one line that names the fix.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from graph.config import PROJECT_ROOT, Neo4jSettings, cache_dir, sized_memory

NEO4J_VERSION = "5.26.28"
POM = PROJECT_ROOT / "graph" / "neo4j_runtime" / "pom.xml"
ENTRY_CLASSES = ("org.neo4j.server.Neo4jCommunity", "org.neo4j.server.CommunityEntryPoint")
READY_TIMEOUT_S = 120.0
STOP_GRACE_S = 30.0

# Launching the entry point directly bypasses Neo4j's bootloader, so its JVM flags go here.
JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",  # without it vector-index population can stall
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
)


class Neo4jSetupError(RuntimeError):
    """A problem a user can fix; the message is one line naming the fix."""


@dataclass(frozen=True)
class Connection:
    """Where the application connects, and which source provided the server."""

    uri: str
    user: str
    password: str
    database: str
    source: str  # "env" | "docker" | "local"


# ---------------------------------------------------------------------------------------------- paths


def neo4j_home() -> Path:
    """Jars (lib/) and plugins (plugins/), shared by every local instance."""
    return cache_dir() / "neo4j" / "home"


def instance_dir(instance: str) -> Path:
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,31}", instance):
        raise Neo4jSetupError(f"bad Neo4j instance name {instance!r}: use lower-case letters, digits, - and _")
    return cache_dir() / "neo4j" / "instances" / instance


def _state_file(instance: str) -> Path:
    return instance_dir(instance) / "server.json"


# ------------------------------------------------------------------------------------------ install


def java_executable() -> str:
    """The java to run Neo4j with: $JAVA_HOME/bin/java, else the one on PATH; it must be 17 or newer."""
    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    if not java or not Path(java).exists():
        raise Neo4jSetupError(
            "Java 17 or 21 is needed to run the local Neo4j: install it (e.g. `apt-get install "
            "openjdk-17-jre-headless`) or set NEO4J_URI to an existing Neo4j server."
        )
    out = subprocess.run([java, "-version"], capture_output=True, text=True, check=False).stderr
    match = re.search(r'version "(\d+)', out)
    major = int(match.group(1)) if match else 0
    if major < 17:
        raise Neo4jSetupError(
            f"Neo4j {NEO4J_VERSION} needs Java 17 or 21 but {java} is Java {major or '?'}: "
            "set JAVA_HOME to a Java 17/21 installation or set NEO4J_URI."
        )
    return java


def install(quiet: bool = True) -> Path:
    """Fetch the server's jars and APOC core from Maven Central into the cache, once."""
    home = neo4j_home()
    lib = home / "lib"
    marker = home / f".installed-{NEO4J_VERSION}"
    if marker.exists() and any(lib.glob("neo4j-server-*.jar")):
        return home
    mvn = shutil.which("mvn")
    if not mvn:
        raise Neo4jSetupError(
            "Maven is needed once to fetch Neo4j's jars from Maven Central: install it "
            "(`apt-get install maven`) or set NEO4J_URI to an existing Neo4j server."
        )
    if lib.exists():
        shutil.rmtree(lib)  # a different version's jars must not mix with this one's
    cmd = [mvn, "-B", "-f", str(POM), "package", f"-Dneo4j.home={home}"]
    if quiet:
        cmd.insert(2, "-q")
    result = subprocess.run(cmd, capture_output=quiet, text=True, check=False)
    if result.returncode != 0:
        tail = (result.stdout or "")[-2000:] if quiet else ""
        raise Neo4jSetupError(
            f"fetching Neo4j {NEO4J_VERSION} jars with Maven failed (exit {result.returncode}); "
            f"check network access to Maven Central and run `gongxu neo4j install` again. {tail.strip()}"
        )
    marker.write_text(NEO4J_VERSION)
    return home


def entry_class(lib_dir: Path) -> str:
    """The server's main class: Neo4jCommunity (2025.x+) or CommunityEntryPoint (5.x)."""
    wanted = [name.replace(".", "/") + ".class" for name in ENTRY_CLASSES]
    jars = sorted(lib_dir.glob("neo4j-server-*.jar")) + sorted(lib_dir.glob("*.jar"))
    for w in wanted:
        for jar in jars:
            with zipfile.ZipFile(jar) as archive:
                if w in archive.namelist():
                    return w[: -len(".class")].replace("/", ".")
    raise Neo4jSetupError(f"no Neo4j entry class in {lib_dir}: delete it and run `gongxu neo4j install`")


# --------------------------------------------------------------------------------------- processes


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie is not alive for our purposes
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.split(") ", 1)[1][0] != "Z"
    except OSError:
        return True


def _is_our_server(pid: int, instance: str) -> bool:
    """True when pid is a Neo4j started by us for this instance (guards against recycled pids)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return _pid_alive(pid)
    return str(instance_dir(instance) / "conf") in cmdline


def _read_state(instance: str) -> dict | None:
    try:
        return json.loads(_state_file(instance).read_text())
    except (OSError, ValueError):
        return None


def _write_conf(instance: str, port: int, settings: Neo4jSettings) -> Path:
    base = instance_dir(instance)
    conf_dir = base / "conf"
    conf_dir.mkdir(parents=True, exist_ok=True)
    for sub in ("data", "logs", "run", "import"):
        (base / sub).mkdir(exist_ok=True)
    conf = f"""# written by graph/server.py for instance {instance}; edits are overwritten at start
server.default_listen_address=127.0.0.1
server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:{port}
server.bolt.advertised_address=127.0.0.1:{port}
server.bolt.tls_level=DISABLED
server.http.enabled=false
server.https.enabled=false
dbms.security.auth_enabled=false
dbms.usage_report.enabled=false
server.memory.pagecache.size={settings.pagecache}
dbms.memory.transaction.total.max=1g
db.tx_log.rotation.retention_policy=2 files
db.tx_log.rotation.size=32m
db.tx_log.preallocate=false
db.logs.query.enabled=OFF
server.directories.data={base / "data"}
server.directories.logs={base / "logs"}
server.directories.run={base / "run"}
server.directories.import={base / "import"}
server.directories.plugins={neo4j_home() / "plugins"}
"""
    (conf_dir / "neo4j.conf").write_text(conf)
    return conf_dir


def wait_ready(uri: str, timeout: float = READY_TIMEOUT_S, pid: int | None = None,
               log: Path | None = None, auth: tuple[str, str] | None = None) -> None:
    """Poll a real query until the default database answers (an open port is not enough)."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import DriverError, Neo4jError

    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if pid is not None and not _pid_alive(pid):
            tail = log.read_text(errors="replace")[-1500:] if log and log.exists() else ""
            raise Neo4jSetupError(f"Neo4j exited during start; see {log}. Last output: {tail.strip()}")
        try:
            with GraphDatabase.driver(uri, auth=auth, connection_timeout=2) as driver, \
                    driver.session(database="neo4j") as session:
                session.run("RETURN 1").consume()  # session.run: no driver-side retry loop
            return
        except (DriverError, Neo4jError, OSError) as exc:
            last = exc
            time.sleep(0.5)
    raise Neo4jSetupError(f"Neo4j at {uri} was not ready after {timeout:.0f}s ({last}); see {log}")


def store_bytes(instance: str) -> int:
    """The size on disk of an instance's databases and transaction logs (0 before the first start)."""
    root = instance_dir(instance) / "data"
    return sum(f.stat().st_size for f in root.rglob("*") if f.is_file()) if root.exists() else 0


def sized_settings(settings: Neo4jSettings) -> Neo4jSettings:
    """``settings`` with ``auto`` memory resolved from the instance's store (``graph.config.sized_memory``)."""
    heap, pagecache = sized_memory(settings, store_bytes(settings.instance))
    return dataclasses.replace(settings, heap=heap, pagecache=pagecache)


def status(instance: str) -> dict | None:
    """The running local server of this instance ({pid, port, uri, started_at}), or None."""
    state = _read_state(instance)
    if state and _pid_alive(state["pid"]) and _is_our_server(state["pid"], instance):
        return state
    return None


def start_local(settings: Neo4jSettings, port: int | None = None) -> dict:
    """Start (or reuse) the local server of ``settings.instance``; returns its state once it answers.

    ``port`` 0 means any free port (tests); None means ``settings.port`` (7687 by default).
    """
    instance = settings.instance
    running = status(instance)
    if running:
        wait_ready(running["uri"], pid=running["pid"], log=Path(running["log"]))
        return running
    java = java_executable()
    home = install()
    wanted = settings.port if port is None else port
    if wanted == 0:
        wanted = _free_port()
    elif not _port_is_free(wanted):
        raise Neo4jSetupError(
            f"port {wanted} on 127.0.0.1 is taken by another process: stop it, or set "
            f"GONGXU_NEO4J_PORT to a free port, or point NEO4J_URI at that server if it is a Neo4j."
        )
    settings = sized_settings(settings)
    heap, pagecache = settings.heap, settings.pagecache
    conf_dir = _write_conf(instance, wanted, settings)
    log = instance_dir(instance) / "logs" / "console.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    cmd = [
        java, f"-Xms{settings.heap}", f"-Xmx{settings.heap}", *JVM_FLAGS,
        "-cp", str(home / "lib" / "*"), entry_class(home / "lib"),
        f"--home-dir={home}", f"--config-dir={conf_dir}", "--console-mode",
    ]
    with log.open("ab") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True, cwd=instance_dir(instance))
    uri = f"bolt://127.0.0.1:{wanted}"
    state = {"pid": proc.pid, "port": wanted, "uri": uri, "log": str(log), "started_at": time.time(),
             "version": NEO4J_VERSION, "heap": heap, "pagecache": pagecache}
    _state_file(instance).write_text(json.dumps(state))
    try:
        wait_ready(uri, pid=proc.pid, log=log)
    except Neo4jSetupError:
        stop_local(instance)
        raise
    state["ready_after_s"] = round(time.time() - state["started_at"], 2)
    _state_file(instance).write_text(json.dumps(state))
    return state


def stop_local(instance: str, grace: float = STOP_GRACE_S) -> bool:
    """Stop the instance's server cleanly; True if one was running. Leaves no process behind."""
    state = _read_state(instance)
    if not state:
        return False
    pid = state["pid"]
    stopped = False
    if _pid_alive(pid) and _is_our_server(pid, instance):
        os.kill(pid, signal.SIGTERM)  # Neo4j's handler exits 0 and its shutdown hook closes the store
        deadline = time.monotonic() + grace
        while _pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _pid_alive(pid):
            os.kill(pid, signal.SIGKILL)
            while _pid_alive(pid):
                time.sleep(0.1)
        stopped = True
    _state_file(instance).unlink(missing_ok=True)
    return stopped


def kill_local(instance: str) -> bool:
    """SIGKILL the instance's server — no clean shutdown (fault injection: ``benchmarks/soak/faults.py``).
    True if one was running. ``start_local`` starts it again on the store it left (Neo4j recovers its
    transaction log)."""
    state = _read_state(instance)
    if not state:
        return False
    pid = state["pid"]
    if not (_pid_alive(pid) and _is_our_server(pid, instance)):
        return False
    os.kill(pid, signal.SIGKILL)
    while _pid_alive(pid):
        time.sleep(0.05)
    _state_file(instance).unlink(missing_ok=True)
    return True


# ------------------------------------------------------------------------------------------ docker


def docker_available() -> bool:
    docker = shutil.which("docker")
    if not docker:
        return False
    try:
        return subprocess.run([docker, "info"], capture_output=True, timeout=10, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def start_docker(settings: Neo4jSettings) -> Connection:
    subprocess.run(["docker", "compose", "-f", str(PROJECT_ROOT / "docker-compose.yml"), "up", "-d", "neo4j"],
                   check=True)
    uri = "bolt://127.0.0.1:7687"
    wait_ready(uri, auth=(settings.user, settings.password))
    return Connection(uri, settings.user, settings.password, settings.database, "docker")


# ----------------------------------------------------------------------------------------- resolve


def check_reachable(settings: Neo4jSettings) -> None:
    """Fail with one line when NEO4J_URI does not answer."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, DriverError, Neo4jError

    try:
        with GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password),
                                  connection_timeout=5) as driver:
            driver.verify_connectivity()
    except AuthError as exc:
        raise Neo4jSetupError(f"Neo4j at {settings.uri} refused the credentials: check NEO4J_USER and "
                              f"NEO4J_PASSWORD ({exc.message})") from None
    except (DriverError, Neo4jError, OSError, ValueError) as exc:
        raise Neo4jSetupError(f"Neo4j at NEO4J_URI={settings.uri} is unreachable ({exc}): start it, fix "
                              "NEO4J_URI, or unset NEO4J_URI to let gongxu run a local Neo4j.") from None


def ensure_neo4j(settings: Neo4jSettings | None = None, port: int | None = None) -> Connection:
    """Resolve the server by the three sources above, starting one when needed."""
    settings = settings or Neo4jSettings.from_env()
    if settings.uri:
        check_reachable(settings)
        return Connection(settings.uri, settings.user, settings.password, settings.database, "env")
    if os.environ.get("GONGXU_NEO4J_SOURCE", "auto") == "auto" and docker_available():
        return start_docker(settings)
    state = start_local(settings, port=port)
    return Connection(state["uri"], settings.user, settings.password, settings.database, "local")
