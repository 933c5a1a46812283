"""The language server, driven by pygls' own client over stdio as a real subprocess."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import select
import shutil
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import pytest
from lsprotocol import types
from pygls.lsp.client import BaseLanguageClient
from pygls.uris import from_fs_path
from pygls.workspace import TextDocument

from nodeleaklint import lsp, lsp_edits
from nodeleaklint.findings import Confidence, Finding, Severity, Span
from nodeleaklint.rules import find_rule

LEAKY = (
    "const bus = require('./bus');\nfunction setup() {\n  bus.setMaxListeners(0);\n"
    "app.get(r, () => bus.on(e, f));\n}\n"
)
CLEAN = "const bus = require('./bus');\nfunction setup() {\n  bus.setMaxListeners(20);\n}\n"
WIDE = 'const s = "é😀"; bus.setMaxListeners(0);\napp.get(r, () => bus.on(e, f));\n'
NLL102_DOCS = find_rule("NLL102").docs_url
TIMEOUT = 10.0
T = TypeVar("T")


class Session:
    """A client connected to ``python -m nodeleaklint server``, recording what it receives."""

    def __init__(self) -> None:
        self.client = BaseLanguageClient("nodeleaklint-test", "0")
        self.published: asyncio.Queue[types.PublishDiagnosticsParams] = asyncio.Queue()
        self.shown: list[str] = []
        self.registrations: list[types.Registration] = []
        self.versions: dict[str, int] = {}

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: types.PublishDiagnosticsParams) -> None:
            self.published.put_nowait(params)

        @self.client.feature(types.WINDOW_SHOW_DOCUMENT)
        def show(params: types.ShowDocumentParams) -> types.ShowDocumentResult:
            self.shown.append(params.uri)
            return types.ShowDocumentResult(success=True)

        @self.client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def register(params: types.RegistrationParams) -> None:
            self.registrations.extend(params.registrations)

    async def start(self, cwd: Path, encoding: str = "utf-16") -> types.InitializeResult:
        await self.client.start_io(sys.executable, "-m", "nodeleaklint", "server", cwd=cwd)
        capabilities = types.ClientCapabilities(
            general=types.GeneralClientCapabilities(position_encodings=[encoding]),
            window=types.WindowClientCapabilities(
                show_document=types.ShowDocumentClientCapabilities(support=True)
            ),
            workspace=types.WorkspaceClientCapabilities(
                did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(
                    dynamic_registration=True
                )
            ),
        )
        result = await within(
            self.client.initialize_async(
                types.InitializeParams(
                    capabilities=capabilities, root_uri=from_fs_path(str(cwd)), process_id=None
                )
            )
        )
        self.client.initialized(types.InitializedParams())
        return result

    async def stop(self) -> None:
        await within(self.client.shutdown_async(None))
        self.client.exit(None)
        await self.client.stop()

    def open(self, uri: str, text: str) -> None:
        self.versions[uri] = 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="javascript", version=1, text=text
                )
            )
        )

    def change(self, uri: str, text: str) -> int:
        self.versions[uri] += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=uri, version=self.versions[uri]
                ),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        return self.versions[uri]

    async def diagnostics(self, uri: str, version: int | None = None) -> list[types.Diagnostic]:
        """The next diagnostics published for ``uri`` (at ``version``, when given)."""
        while True:
            params = await within(self.published.get())
            if params.uri == uri and (version is None or params.version == version):
                return list(params.diagnostics)

    async def actions(
        self, uri: str, diagnostic: types.Diagnostic
    ) -> list[types.CodeAction | types.Command]:
        result = await within(
            self.client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    range=diagnostic.range,
                    context=types.CodeActionContext(diagnostics=[diagnostic]),
                )
            )
        )
        # lsprotocol 2025.0.0's client side reads any code action that has a ``command``
        # as a bare ``Command`` (its ``_code_action_hook``); the title survives.
        return list(result or [])


async def within(awaitable: Awaitable[T]) -> T:
    return await asyncio.wait_for(awaitable, TIMEOUT)


def run(test: Callable[[Session], Awaitable[None]], cwd: Path, encoding: str = "utf-16") -> None:
    async def main() -> None:
        session = Session()
        await session.start(cwd, encoding)
        try:
            await test(session)
        finally:
            await session.stop()

    asyncio.run(main())


def apply(text: str, action: types.CodeAction, uri: str) -> str:
    """Apply a code action's text edits to ``text`` (ASCII: characters are code units)."""
    assert action.edit is not None and action.edit.changes is not None
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))

    def offset(position: types.Position) -> int:
        return starts[position.line] + position.character

    edits = sorted(action.edit.changes[uri], key=lambda e: offset(e.range.start), reverse=True)
    for edit in edits:
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


def by_title(actions: list[types.CodeAction | types.Command], start: str) -> types.CodeAction:
    found = next(action for action in actions if action.title.startswith(start))
    assert isinstance(found, types.CodeAction)
    return found


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "nodeleaklint.toml").write_text("", encoding="utf-8")
    return tmp_path


def uri_of(path: Path) -> str:
    uri = from_fs_path(str(path))
    assert uri is not None
    return uri


def test_diagnostics_on_open_change_and_quick_fix(project: Path) -> None:
    uri = uri_of(project / "src" / "app.js")

    async def scenario(session: Session) -> None:
        session.open(uri, LEAKY)
        [diagnostic] = await session.diagnostics(uri, 1)
        assert diagnostic.source == "nodeleaklint"
        assert diagnostic.code == "NLL102"
        assert diagnostic.code_description is not None
        assert diagnostic.code_description.href == NLL102_DOCS
        assert diagnostic.severity == types.DiagnosticSeverity.Error  # high confidence
        assert diagnostic.range.start == types.Position(line=2, character=2)
        assert "setMaxListeners" in diagnostic.message
        headline, note, advice = diagnostic.message.split("\n")  # headline, note, help
        assert headline.endswith("on `bus`: per-call listeners would pile up unreported")
        assert note.startswith("0 means unlimited: this silences")
        assert advice.startswith("help: Find and remove the listeners")

        assert await session.diagnostics(uri, session.change(uri, CLEAN)) == []

        # Debounced: several quick edits give one check, of the last version.
        for _ in range(4):
            session.change(uri, LEAKY)
        last = session.change(uri, LEAKY)
        first = await within(session.published.get())
        assert (first.uri, first.version) == (uri, last)
        [again] = first.diagnostics
        await asyncio.sleep(0.6)
        assert session.published.empty()

        actions = await session.actions(uri, again)
        titles = [action.title for action in actions]
        assert titles == [
            "Remove `bus.setMaxListeners(0)` (unsafe fix)",
            "Disable NLL102 for this line",
            "Disable NLL102 for this file",
            "Show documentation for NLL102",
        ]
        rewritten = apply(LEAKY, by_title(actions, titles[0]), uri)
        assert rewritten == (
            "const bus = require('./bus');\nfunction setup() {\n"
            "app.get(r, () => bus.on(e, f));\n}\n"
        )
        assert await session.diagnostics(uri, session.change(uri, rewritten)) == []

        fixed = apply(LEAKY, by_title(actions, "Disable NLL102 for this line"), uri)
        assert fixed.splitlines()[2] == "  // nodeleaklint-disable-next-line NLL102"
        assert await session.diagnostics(uri, session.change(uri, fixed)) == []

        whole = apply(LEAKY, by_title(actions, "Disable NLL102 for this file"), uri)
        assert whole.startswith("/* nodeleaklint-disable NLL102 */\n")
        assert await session.diagnostics(uri, session.change(uri, whole)) == []

        await within(
            session.client.workspace_execute_command_async(
                types.ExecuteCommandParams(command=lsp.SHOW_DOCUMENTATION, arguments=["NLL102"])
            )
        )
        assert session.shown == [NLL102_DOCS]

    run(scenario, project)


def test_pull_diagnostics_and_config_changes(project: Path) -> None:
    uri = uri_of(project / "src" / "app.js")

    async def scenario(session: Session) -> None:
        session.open(uri, LEAKY)
        assert len(await session.diagnostics(uri, 1)) == 1
        report = await within(
            session.client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
            )
        )
        assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
        assert [item.code for item in report.items] == ["NLL102"]

        assert [r.method for r in session.registrations] == [
            types.WORKSPACE_DID_CHANGE_WATCHED_FILES
        ]
        config = project / "nodeleaklint.toml"
        config.write_text('ignore = ["NLL102"]\n', encoding="utf-8")
        session.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=uri_of(config), type=types.FileChangeType.Changed)]
            )
        )
        assert await session.diagnostics(uri) == []

        config.write_text("ignore = [", encoding="utf-8")  # broken: said so, in the file
        session.client.text_document_did_save(
            types.DidSaveTextDocumentParams(
                text_document=types.TextDocumentIdentifier(uri_of(config))
            )
        )
        [problem] = await session.diagnostics(uri)
        assert problem.code == "NLL-CONFIG"
        assert "nodeleaklint.toml" in problem.message

    run(scenario, project)


def test_excluded_and_unsupported_documents_get_no_diagnostics(project: Path) -> None:
    excluded = uri_of(project / "node_modules" / "lib" / "index.js")
    readme = uri_of(project / "README.md")

    async def scenario(session: Session) -> None:
        session.open(excluded, LEAKY)
        assert await session.diagnostics(excluded, 1) == []
        session.open(readme, LEAKY)
        assert await session.diagnostics(readme, 1) == []

    run(scenario, project)


@pytest.mark.parametrize(("encoding", "column"), [("utf-16", 17), ("utf-8", 20), ("utf-32", 16)])
@pytest.mark.parametrize(
    ("before", "line"),
    [
        ("", 0),
        ('const t = "\u2028";\x0c// a string separator and a form feed: one line\n', 1),
        ("// old\r", 1),
    ],
)
def test_columns_follow_the_negotiated_encoding(
    project: Path, encoding: str, column: int, before: str, line: int
) -> None:
    uri = uri_of(project / "src" / "wide.js")

    async def scenario(session: Session) -> None:
        session.open(uri, before + WIDE)
        [diagnostic] = await session.diagnostics(uri, 1)
        assert diagnostic.range.start == types.Position(line=line, character=column)

    run(scenario, project, encoding)


def test_server_without_the_extra_names_it(tmp_path: Path) -> None:
    blocker = tmp_path / "sitecustomize.py"
    blocker.write_text("import sys\nsys.modules['pygls'] = None\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "nodeleaklint", "server"],
        env={"PYTHONPATH": str(tmp_path), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "pip install 'nodeleaklint[lsp]'" in done.stderr


# -- the inserted text ---------------------------------------------------------------------


def test_disable_next_line_keeps_indentation_and_line_endings() -> None:
    lines = ["a();\r\n", "\t  b();\r\n"]
    assert lsp_edits.disable_next_line(lines, 1, "NLL101") == lsp_edits.Insertion(
        1, "\t  // nodeleaklint-disable-next-line NLL101\r\n"
    )


def test_disable_file_goes_after_a_shebang() -> None:
    assert lsp_edits.disable_file(["#!/usr/bin/env node\n", "x();\n"], "NLL201").line == 1
    assert lsp_edits.disable_file(["x();\n"], "NLL201") == lsp_edits.Insertion(
        0, "/* nodeleaklint-disable NLL201 */\n"
    )


def test_high_and_medium_confidence_get_distinct_severities() -> None:
    document = TextDocument("file:///x/app.js", LEAKY)
    high = Finding(
        rule="NLL102",
        name="raised-max-listeners",
        severity=Severity.WARNING,
        confidence=Confidence.HIGH,
        path="app.js",
        span=Span(3, 3, 3, 25),
        message="m",
    )
    medium = dataclasses.replace(high, confidence=Confidence.MEDIUM)
    assert lsp.finding_diagnostic(document, high).severity == types.DiagnosticSeverity.Error
    assert lsp.finding_diagnostic(document, medium).severity == types.DiagnosticSeverity.Warning


def test_show_documentation_action_carries_the_command() -> None:
    document = TextDocument("file:///x/app.js", LEAKY)
    diagnostic = types.Diagnostic(
        range=types.Range(
            start=types.Position(line=2, character=2), end=types.Position(line=2, character=5)
        ),
        message="m",
        source="nodeleaklint",
        code="NLL102",
    )
    other = types.Diagnostic(range=diagnostic.range, message="m", source="eslint", code="x")
    actions = lsp.code_actions(document, [diagnostic, other])
    docs = by_title(list(actions), "Show documentation")
    assert docs.command == types.Command(
        title="Show documentation for NLL102",
        command=lsp.SHOW_DOCUMENTATION,
        arguments=["NLL102"],
    )
    assert len(actions) == 3


# -- robustness ------------------------------------------------------------------------------


class RawConnection:
    """Bytes to and from ``nodeleaklint server``, for messages no client library would send."""

    def __init__(self, cwd: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "nodeleaklint", "server"],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            bufsize=0,
        )

    def send(self, body: bytes | dict[str, object]) -> None:
        data = json.dumps(body).encode() if isinstance(body, dict) else body
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.process.stdin.flush()

    def receive(self, timeout: float = TIMEOUT) -> dict[str, object] | None:
        """The next message, or None when none comes within ``timeout`` seconds."""
        assert self.process.stdout is not None
        stream = self.process.stdout
        header = b""
        while not header.endswith(b"\r\n\r\n"):
            ready, _, _ = select.select([stream], [], [], timeout)
            if not ready:
                return None
            byte = stream.read(1)
            assert byte, "the server closed its output"
            header += byte
        length = int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])
        body = b""
        while len(body) < length:
            body += stream.read(length - len(body))
        message: dict[str, object] = json.loads(body)
        return message

    def close(self) -> None:
        self.send({"jsonrpc": "2.0", "id": 99, "method": "shutdown"})
        assert self.receive() == {"jsonrpc": "2.0", "id": 99, "result": None}
        self.send({"jsonrpc": "2.0", "method": "exit"})
        assert self.process.wait(TIMEOUT) == 0


def _error_code(message: dict[str, object] | None) -> object:
    assert message is not None, "no answer"
    error = message.get("error")
    assert isinstance(error, dict), message
    return error.get("code")


@pytest.mark.skipif(sys.platform == "win32", reason="select() on pipes")
def test_malformed_and_unknown_messages_get_errors_and_the_server_keeps_serving(
    project: Path,
) -> None:
    raw = RawConnection(project)
    try:
        raw.send(
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "initialize",
                "params": {"capabilities": {}, "processId": None, "rootUri": None},
            }
        )
        assert isinstance((raw.receive() or {}).get("result"), dict)
        raw.send(b"{not json")
        assert _error_code(raw.receive()) == -32700  # Parse Error
        raw.send(b"\xff\xfe")
        assert _error_code(raw.receive()) == -32700
        raw.send(b"[1, 2, 3]")
        assert _error_code(raw.receive()) == -32600  # Invalid Request
        raw.send({"id": 5, "method": "shutdown"})  # no "jsonrpc"
        answer = raw.receive()
        assert _error_code(answer) == -32600 and (answer or {}).get("id") == 5
        raw.send({"jsonrpc": "2.0", "id": 2, "method": "nodeleaklint/nope", "params": {}})
        answer = raw.receive()
        assert _error_code(answer) == -32601 and (answer or {}).get("id") == 2
        raw.send(
            {"jsonrpc": "2.0", "id": 3, "method": "textDocument/diagnostic", "params": {"x": 5}}
        )
        answer = raw.receive()
        assert _error_code(answer) == -32602 and (answer or {}).get("id") == 3  # Invalid Params
        raw.send({"jsonrpc": "2.0", "method": "$/somethingNew", "params": {}})
        raw.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": 7})
        assert raw.receive(timeout=0.5) is None  # notifications get no answer, not a popup
        # Still serving: a document is checked as usual.
        uri = uri_of(project / "src" / "app.js")
        item = {"uri": uri, "languageId": "javascript", "version": 1, "text": LEAKY}
        raw.send(
            {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": item}}
        )
        published = raw.receive()
        assert published is not None and published["method"] == "textDocument/publishDiagnostics"
        params = published["params"]
        assert isinstance(params, dict)
        assert [d["code"] for d in params["diagnostics"]] == ["NLL102"]
        raw.close()
    finally:
        if raw.process.poll() is None:
            raw.process.kill()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_memory_returns_near_baseline_after_200_documents(project: Path) -> None:
    """Open, check and close 200 documents of 12 KB through the server's own handlers, in
    a fresh interpreter (resident size in a long test process says more about the tests
    that ran before)."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("lsp_memory.py")), str(project)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    measured = json.loads(done.stdout)
    # Keeping a document would keep its text, its lines and its diagnostics: thousands of
    # Python objects each; its tree and semantic model far more native memory. What may
    # stay is caches of bounded size and the allocator's slack.
    assert measured["published"] == 400  # the findings on open, nothing on close
    assert measured["open_documents"] == 0 and measured["pending"] == 0
    assert measured["futures"] <= 1  # at most the registration request
    assert measured["blocks"] < 4_000, measured
    assert measured["rss_kib"] < 16 * 1024, measured


def test_the_server_judges_a_document_with_the_project_in_view(tmp_path: Path) -> None:
    project = tmp_path / "cjs"
    shutil.copytree(Path(__file__).parent / "projects" / "cjs", project)
    metrics = project / "src" / "metrics.js"
    uri = from_fs_path(str(metrics))
    assert uri is not None

    async def test(session: Session) -> None:
        session.open(uri, metrics.read_text(encoding="utf-8"))
        for _ in range(5):  # first the file alone, then, once the index is built, in view
            found = await session.diagnostics(uri)
            if [d.severity for d in found] == [types.DiagnosticSeverity.Error]:
                break
        else:
            raise AssertionError(f"never judged with the project in view: {found}")
        assert found[0].range.start.line == 4
        assert "src/routes/feed.js:5" in found[0].message
        elsewhere = [r.location for r in found[0].related_information or []]
        assert [(loc.uri.rsplit("/", 2)[-2:], loc.range.start.line) for loc in elsewhere][-1] == (
            ["routes", "feed.js"],
            4,
        )

    run(test, project)


def test_a_saved_caller_changes_what_an_open_document_is_told(tmp_path: Path) -> None:
    # The index is linked again off the event loop when a saved file's summary changed,
    # and the open documents are checked again with the new view.
    project = tmp_path / "cjs"
    shutil.copytree(Path(__file__).parent / "projects" / "cjs", project)
    metrics = project / "src" / "metrics.js"
    feed = project / "src" / "routes" / "feed.js"
    metrics_uri, feed_uri = from_fs_path(str(metrics)), from_fs_path(str(feed))
    assert metrics_uri is not None and feed_uri is not None
    once = "const metrics = require('../metrics');\nmetrics.attachMetrics(process.stdout);\n"

    async def test(session: Session) -> None:
        session.open(metrics_uri, metrics.read_text(encoding="utf-8"))
        for _ in range(5):
            found = await session.diagnostics(metrics_uri)
            if [d.severity for d in found] == [types.DiagnosticSeverity.Error]:
                break
        else:
            raise AssertionError(f"never judged with the project in view: {found}")
        session.open(feed_uri, feed.read_text(encoding="utf-8"))
        session.change(feed_uri, once)
        feed.write_text(once, encoding="utf-8")
        session.client.text_document_did_save(
            types.DidSaveTextDocumentParams(
                text_document=types.TextDocumentIdentifier(uri=feed_uri)
            )
        )
        for _ in range(5):  # now called once, at start-up: the listener is not reported
            found = await session.diagnostics(metrics_uri)
            if not [d for d in found if d.range.start.line == 4]:
                break
        else:
            raise AssertionError(f"the saved caller never reached the open document: {found}")

    run(test, project)
