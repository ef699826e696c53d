"""The local Neo4j: data survives a restart, stop leaves no process, bad setups fail in one line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from graph import server
from graph.config import Neo4jSettings


def _scratch_instance(purpose: str) -> str:
    """A throw-away instance named after this run's test instance, so parallel runs never share one."""
    return f"{os.environ.get('GONGXU_TEST_NEO4J_INSTANCE', 'test')}-{purpose}"[:32]


def _gongxu(*args: str, **env: str) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **env}
    for key, value in env.items():
        if value == "":
            full_env.pop(key, None)
    return subprocess.run([sys.executable, "-m", "api.cli", *args], capture_output=True, text=True,
                          env=full_env, timeout=300, check=False)


def _assert_one_clear_line(result: subprocess.CompletedProcess, *needles: str) -> None:
    assert result.returncode == 1, result
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("gongxu: error: ")
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_restart_keeps_data_and_stop_leaves_no_process(tmp_path):
    settings = Neo4jSettings.from_env(_scratch_instance("restart"))
    server.stop_local(settings.instance)
    state = server.start_local(settings, port=0)
    try:
        from neo4j import GraphDatabase

        with GraphDatabase.driver(state["uri"]) as driver:
            driver.execute_query("MERGE (:RestartProbe {id: 'p1', text: '重启后数据仍在'})", database_="neo4j")
        assert server.stop_local(settings.instance)
        assert not server._pid_alive(state["pid"])
        assert server.status(settings.instance) is None

        state = server.start_local(settings, port=0)
        with GraphDatabase.driver(state["uri"]) as driver:
            records = driver.execute_query("MATCH (p:RestartProbe {id: 'p1'}) RETURN p.text AS text",
                                           database_="neo4j").records
        assert [r["text"] for r in records] == ["重启后数据仍在"]
    finally:
        server.stop_local(settings.instance)
    assert not server._pid_alive(state["pid"])
    assert not any(str(server.instance_dir(settings.instance)) in p for p in _java_cmdlines())


def _java_cmdlines() -> list[str]:
    out = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True).stdout
    return [line for line in out.splitlines() if "java" in line]


def test_cli_start_status_stop_round_trip():
    instance = _scratch_instance("cli")
    env = {"GONGXU_NEO4J_SOURCE": "local", "NEO4J_URI": "", "GONGXU_NEO4J_PORT": str(_free_port())}
    started = _gongxu("neo4j", "start", "--instance", instance, **env)
    try:
        assert started.returncode == 0, started.stderr
        assert "Neo4j ready at bolt://127.0.0.1:" in started.stdout
        status = _gongxu("neo4j", "status", "--instance", instance, **env)
        assert status.returncode == 0 and status.stdout.startswith("running: pid ")
    finally:
        stopped = _gongxu("neo4j", "stop", "--instance", instance, **env)
    assert stopped.returncode == 0 and "Neo4j stopped" in stopped.stdout
    status = _gongxu("neo4j", "status", "--instance", instance, **env)
    assert status.returncode == 3 and status.stdout.startswith("not running")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_neo4j_uri_is_one_clear_line():
    result = _gongxu("neo4j", "start", NEO4J_URI=f"bolt://127.0.0.1:{_free_port()}")
    _assert_one_clear_line(result, "unreachable", "NEO4J_URI")


def test_port_taken_is_one_clear_line():
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        result = _gongxu("neo4j", "start", "--instance", "port-check", NEO4J_URI="", GONGXU_NEO4J_SOURCE="local",
                         GONGXU_NEO4J_PORT=str(port))
    _assert_one_clear_line(result, f"port {port}", "GONGXU_NEO4J_PORT")


def test_no_java_is_one_clear_line(tmp_path):
    result = _gongxu("neo4j", "start", "--instance", "java-check", NEO4J_URI="", GONGXU_NEO4J_SOURCE="local",
                     JAVA_HOME=str(tmp_path / "no-jdk"), PATH="/usr/local/sbin:/nonexistent")
    _assert_one_clear_line(result, "Java 17", "NEO4J_URI")
