"""README.md and docs/*.md tell the truth: every ``recsys`` command line names a command and
options that exist, every ``RECSYS_*`` variable is read by the code and is the one its option
reads, every API route (its method, query parameters and JSON body keys) exists in serve/,
every project module, function or path in backticks exists, and every table row has its
header's number of cells. Offline and fast: the CLI is introspected (what ``recsys CMD --help``
prints), the app's routes are read without opening a store, the docs are parsed with regexes.

Each check is a function from a document's text to its problems, so the last tests can show
that each one fails on a README that names what does not exist."""

from __future__ import annotations

import importlib
import json
import re
from functools import lru_cache
from pathlib import Path

import pytest
import typer

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: where the code that reads a variable or defines a name lives
CODE_DIRS = ("recsys", "cli", "ingest", "serve", "training", "bench", "tests")
PACKAGES = ("recsys", "cli", "ingest", "serve", "training", "bench")
#: docs that name other projects' APIs in backticks (Qdrant's `peer_id`, PyAV's
#: `AudioResampler`): their bare identifiers are not checked against ours
FOREIGN_NAMES = {"benchmarks.md", "cluster.md"}
#: options the README names for other tools, with the tool
OTHER_TOOLS_OPTIONS = {"--strict-markers": "pytest"}

FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
SPAN = re.compile(r"`([^`\n]+)`")
OPTION = re.compile(r"(?<![\w/.-])(--?[a-zA-Z][\w-]*)")
#: `recsys CMD ...`, also `.venv/bin/recsys` and after `VAR=value`; up to a pipe, `;`, `&`,
#: a comment or the end of a `$(...)`
COMMAND = re.compile(r"(?:^|[\s(/=])recsys\s+([a-z][a-z-]*)([^|;&#)]*)")
SCRIPT = re.compile(r"((?:bench|training|tests)/[\w/]+\.(?:py|sh))([^|;&#)]*)")
ENV = re.compile(r"(?<![\w$])(RECSYS_[A-Z0-9_]+)")
ROUTE = re.compile(r"(?:\b(GET|POST)\s+)?(/(?:api|internal)/[\w./{}<>\\|-]*|/(?:api|internal)\b)(\?[\w=&.,-]*)?")
FILE_SUFFIX = re.compile(r"\.(py|json|jsonl|csv|txt|png|wav|mp3|flac|npy|safetensors|xml|sh|rs|nml|pk3|dat|"
                         r"ini|m3u8?|md|jpg|toml|ya?ml|html|parquet)$")
DOTTED = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$")
PATH = re.compile(r"^(?:recsys|cli|ingest|serve|training|bench|tests|docs)/[\w./-]*$")
IDENTIFIER = re.compile(r"^(?:[A-Z][a-z0-9]+[A-Z]\w*|[A-Z][A-Z0-9]*_[A-Z0-9_]+|[a-z][a-z0-9]*_[a-z0-9_]+)$")


# --- what the code has ------------------------------------------------------------------------

@lru_cache(maxsize=1)
def cli_options() -> dict[str, dict[str, set[str | None]]]:
    """command -> option -> the environment variables it reads (None: none)."""
    from cli.main import app

    group = typer.main.get_command(app)
    out: dict[str, dict[str, set[str | None]]] = {}
    for name, command in group.commands.items():
        options: dict[str, set[str | None]] = {"--help": {None}, "-h": {None}}
        for param in command.params:
            env = param.envvar if isinstance(param.envvar, str) else None
            for opt in (*param.opts, *param.secondary_opts):
                if opt.startswith("-"):
                    options.setdefault(opt, set()).add(env)
        out[name] = options
    return out


@lru_cache(maxsize=1)
def code_text() -> str:
    this = Path(__file__).resolve()
    return "\n".join(p.read_text(errors="replace") for d in CODE_DIRS for p in sorted((ROOT / d).rglob("*.py"))
                     if p.resolve() != this)


@lru_cache(maxsize=1)
def code_words() -> frozenset[str]:
    return frozenset(re.findall(r"\w+", code_text()))


@lru_cache(maxsize=1)
def api() -> tuple[dict[str, set[str]], dict]:
    """The app's routes (path with each ``{param}`` as ``{}`` -> methods) and its OpenAPI schema;
    the store is not opened (that happens at the app's startup)."""
    from recsys.settings import Settings
    from serve import ServeConfig, create_app

    app = create_app(ServeConfig(settings=Settings(home=ROOT / "no-such-home")))
    routes: dict[str, set[str]] = {}

    def walk(items) -> None:
        for route in items:
            if getattr(route, "methods", None):
                routes.setdefault(_route_key(route.path), set()).update(route.methods)
            inner = getattr(getattr(route, "original_router", None), "routes", None)  # an included router
            if inner:
                walk(inner)

    walk(app.routes)
    return routes, app.openapi()


@lru_cache(maxsize=1)
def project_modules() -> tuple[str, ...]:
    names = []
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            names.append(".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"))
    return tuple(names)


def _route_key(path: str) -> str:
    return re.sub(r"\{[^}]*\}|<[^>]*>", "{}", path.replace("\\|", "|")).rstrip(".,/")


# --- what a document says ---------------------------------------------------------------------

def _command_lines(text: str) -> list[str]:
    """Shell lines of the code blocks (comments cut, continuations joined, `$ ` prompts of an
    output block) and the backticked spans of the prose (a table's `\\|` an alternative)."""
    lines: list[str] = []
    for lang, body in FENCE.findall(text):
        if lang not in ("bash", "sh", "shell", "console", "text", ""):
            continue
        for line in body.replace("\\\n", " ").splitlines():
            if lang == "text" and not line.startswith("$ "):
                continue
            lines.append(re.sub(r"(^|\s)#.*", "", line).removeprefix("$ "))
    lines += [span.replace("\\|", " ") for span in SPAN.findall(FENCE.sub("", text))]
    return lines


def _spans(text: str) -> list[str]:
    return [s.strip() for s in SPAN.findall(FENCE.sub("", text))]


def command_problems(text: str) -> list[str]:
    """`recsys CMD --opt` with a CMD or an option the CLI lacks; also a span that starts with a
    command's name and an option (`recommend --mixable`)."""
    commands = cli_options()
    bare = re.compile(rf"^({'|'.join(map(re.escape, commands))})\s+(-.*)$")
    problems = []
    for line in _command_lines(text):
        found = [(m.group(1), m.group(2)) for m in COMMAND.finditer(line)]
        if not found and (m := bare.match(line)):
            found = [(m.group(1), m.group(2))]
        for command, rest in found:
            if command not in commands:
                problems.append(f"no command 'recsys {command}': {line.strip()}")
                continue
            problems += [f"'recsys {command}' has no option {opt}: {line.strip()}"
                         for opt in OPTION.findall(rest) if opt not in commands[command]]
    return problems


def bare_option_problems(text: str) -> list[str]:
    """An option named alone (`--dry-run`) that no command has."""
    known = set().union(*cli_options().values())
    return [f"no command has the option {opt}" for span in _spans(text)
            for opt in OPTION.findall(span)[:1] if span.startswith("-")
            and opt not in known and opt not in OTHER_TOOLS_OPTIONS]


def script_problems(text: str) -> list[str]:
    """`bench/x.py --opt`: the script exists and takes the option."""
    problems = []
    for line in _command_lines(text):
        for m in SCRIPT.finditer(line):
            script = ROOT / m.group(1)
            if not script.exists():
                problems.append(f"no script {m.group(1)}")
                continue
            source = script.read_text()
            problems += [f"{m.group(1)} has no option {opt}" for opt in re.findall(r"(?<![\w/.-])(--[a-zA-Z][\w-]*)", m.group(2))
                         if opt != "--help" and opt not in source]
    return problems


def env_problems(text: str) -> list[str]:
    code = code_words()
    return [f"{name} is read nowhere in the code" for name in sorted(set(ENV.findall(text))) if name not in code]


def option_env_problems(text: str) -> list[str]:
    """`--opt` beside the variable said to set it, in a table row (`| --opt | RECSYS_X |`) or
    prose (`--opt` (`RECSYS_X`...), "(or `RECSYS_X`)", "(env `RECSYS_X`"): the option reads it."""
    envs: dict[str, set[str | None]] = {}
    for options in cli_options().values():
        for opt, names in options.items():
            envs.setdefault(opt, set()).update(names)
    pair = re.compile(r"`(?:recsys [a-z-]+ )?(--[a-z][\w-]*)[^`]*`(?:,? `-[\w-]+`)*\s*(?:\|\s*|\(\s*(?:or |env )?)`(RECSYS_[A-Z0-9_]+)")
    return [f"{opt} does not read {env} (it reads {sorted(map(str, envs.get(opt, {None})))})"
            for opt, env in pair.findall(text) if env not in envs.get(opt, set())]


def route_problems(text: str) -> list[str]:
    """`GET /api/x?p=` : the route, its method and its query parameters exist."""
    routes, schema = api()
    problems = []
    for method, raw, query in ROUTE.findall(text):
        path = _route_key(raw)
        if path not in routes and not any(r.startswith(path + "/") for r in routes):
            problems.append(f"no route {raw}")
            continue
        if method and method not in routes.get(path, set()):
            problems.append(f"{raw} takes no {method}")
        if query:
            spec = next((ops for p, ops in schema["paths"].items() if _route_key(p) == path), {})
            params = {p["name"] for op in spec.values() for p in op.get("parameters", ()) if p["in"] == "query"}
            problems += [f"{raw} takes no query parameter {name}"
                         for name in re.findall(r"[?&]([\w]+)=?", query) if name not in params]
    return problems


def body_problems(text: str) -> list[str]:
    """The JSON body shown beside `POST /api/x` (in one table row or line): each key, and each
    key of an object inside it, is a field of the route's body."""
    _, schema = api()
    components = schema["components"]["schemas"]
    problems = []

    def unknown(value: dict, ref: dict, where: str) -> None:
        fields = components[ref["$ref"].rsplit("/", 1)[1]]["properties"]
        for key, inner in value.items():
            if key not in fields:
                problems.append(f"{where}: no field {key!r}")
            elif isinstance(inner, dict) and "$ref" in fields[key]:
                unknown(inner, fields[key], f"{where}.{key}")

    for line in text.splitlines():
        route = re.search(r"POST (/api/[\w./]+)", line)
        if not route:
            continue
        spec = schema["paths"].get(route.group(1), {}).get("post", {})
        ref = spec.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
        for span in SPAN.findall(line):
            if not (span.startswith("{") and ref):
                continue
            try:
                body = json.loads(span.replace("[...]", "[]").replace("…", ""))
            except json.JSONDecodeError:
                problems.append(f"{route.group(1)}: the body shown is not JSON: {span}")
                continue
            unknown(body, ref, route.group(1))
    return problems


def _resolve(name: str) -> bool | None:
    """A dotted name whose first part is one of our modules (`recsys.labels.label_key`, or
    abbreviated `labels.label_key`): True if some such module has the rest; None: not ours."""
    parts = name.split(".")
    modules = project_modules()
    candidates = [m for m in modules if m == parts[0] or m.endswith("." + parts[0])]
    if not candidates:
        return None
    for module in candidates:
        rest = parts[1:]
        while rest and f"{module}.{rest[0]}" in modules:
            module, rest = f"{module}.{rest[0]}", rest[1:]
        try:
            obj = importlib.import_module(module)
            for attr in rest:
                obj = getattr(obj, attr)
        except (ImportError, AttributeError):
            continue
        return True
    return False


def name_problems(text: str, bare_identifiers: bool = True) -> list[str]:
    """Our modules, functions, classes and files named in backticks exist; `filters.x` is a
    field of the API's filters; with ``bare_identifiers``, a `CamelCase`, `CONSTANT_NAME` or
    `snake_name` is a word of the code."""
    _, schema = api()
    filters = set(schema["components"]["schemas"]["Filters"]["properties"])
    problems = []
    for span in _spans(text):
        name = span.removesuffix("()")
        if PATH.match(name):
            path = name.rstrip("/")
            if "*" in path or (ROOT / path).exists():
                continue
            module, _, attr = path.rpartition(".")  # recsys/catalog/tagtext.visible
            if attr and (ROOT / f"{module}.py").exists() and not FILE_SUFFIX.search(path):
                if _resolve(module.replace("/", ".") + "." + attr):
                    continue
            problems.append(f"no file {path}")
        elif DOTTED.match(name) and not FILE_SUFFIX.search(name):
            if name.startswith("filters."):
                if name.split(".", 1)[1] not in filters:
                    problems.append(f"the API's filters have no field {name}")
            elif _resolve(name) is False:
                problems.append(f"no such name {name}")
        elif bare_identifiers and IDENTIFIER.match(name) and name not in code_words():
            problems.append(f"no such name in the code: {name}")
    return problems


def table_problems(text: str) -> list[str]:
    """A row with more or fewer cells than its header: a `|` left unescaped in a cell (even in
    a code span, GitHub splits the cell there)."""
    problems = []
    header = 0
    for line in FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), text).splitlines():
        if not line.startswith("|"):
            header = 0
            continue
        cells = len(re.split(r"(?<!\\)\|", line.strip().strip("|")))
        if not header:
            header = cells
        elif cells != header:
            problems.append(f"{cells} cells, the header {header}: {line[:100]}")
    return problems


# --- the documents ----------------------------------------------------------------------------

def _doc_ids() -> list[str]:
    return [str(p.relative_to(ROOT)) for p in DOCS]


@pytest.mark.parametrize("doc", _doc_ids())
def test_every_command_line_names_a_command_and_options_it_has(doc):
    assert command_problems((ROOT / doc).read_text()) == []


def test_every_option_the_readme_names_alone_exists():
    assert bare_option_problems((ROOT / "README.md").read_text()) == []


@pytest.mark.parametrize("doc", _doc_ids())
def test_every_script_named_takes_the_options_given(doc):
    assert script_problems((ROOT / doc).read_text()) == []


@pytest.mark.parametrize("doc", _doc_ids())
def test_every_environment_variable_is_read_and_is_its_options(doc):
    text = (ROOT / doc).read_text()
    assert env_problems(text) + option_env_problems(text) == []


@pytest.mark.parametrize("doc", _doc_ids())
def test_every_route_and_body_exists_in_serve(doc):
    text = (ROOT / doc).read_text()
    assert route_problems(text) + body_problems(text) == []


@pytest.mark.parametrize("doc", _doc_ids())
def test_every_name_in_backticks_exists(doc):
    assert name_problems((ROOT / doc).read_text(), bare_identifiers=Path(doc).name not in FOREIGN_NAMES) == []


@pytest.mark.parametrize("doc", _doc_ids())
def test_every_table_row_has_its_headers_cells(doc):
    assert table_problems((ROOT / doc).read_text()) == []


# --- the checks fail on a README that names what does not exist -----------------------------------

def test_an_option_no_command_has_fails_the_check():
    assert command_problems("```bash\nrecsys ingest ./music --dry-run\n```\n") == []
    assert command_problems("```bash\nrecsys ingest ./music --dry-rum\n```\n") == [
        "'recsys ingest' has no option --dry-rum: recsys ingest ./music --dry-rum"]
    assert command_problems("Run `recsys recommend \"x\" --mixable -k 3`.") == []
    assert command_problems("Run `recsys query --mixable`.") != []  # recommend's, not query's
    assert command_problems("Then `recommend --no-such` or `recsys frobnicate`.") == [
        "'recsys recommend' has no option --no-such: recommend --no-such", "no command 'recsys frobnicate': recsys frobnicate"]
    assert command_problems("```text\n$ recsys info --verbose\nrecsys info --verbose is output\n```\n") == [
        "'recsys info' has no option --verbose: recsys info --verbose"]
    assert bare_option_problems("`--keep-missing` and `--keep-everything`") == ["no command has the option --keep-everything"]


def test_a_variable_or_a_script_option_nothing_reads_fails_the_check():
    unread = "RECSYS_" + "NEVER_READ"  # built here, so that this file does not read it either
    assert env_problems(f"`RECSYS_HOME` and `{unread}`") == [f"{unread} is read nowhere in the code"]
    assert option_env_problems("| `--home DIR` | `RECSYS_HOME` | data |") == []
    assert option_env_problems("| `--home DIR` | `RECSYS_COLLECTION` | data |") != []
    assert script_problems("```bash\n.venv/bin/python bench/no_such.py\n```\n") == ["no script bench/no_such.py"]


def test_a_route_a_parameter_or_a_body_field_serve_lacks_fails_the_check():
    assert route_problems("`GET /api/tracks?q=riv&limit=10`, `POST /api/path`") == []
    assert route_problems("`GET /api/nothing`") == ["no route /api/nothing"]
    assert route_problems("`GET /api/recommend`") == ["/api/recommend takes no GET"]
    assert route_problems("`GET /api/map?using=fused&colour=genre`") == ["/api/map takes no query parameter colour"]
    good = '| `POST /api/recommend` | `{"seeds": ["River"], "k": 5, "filters": {"genres": ["folk"]}}` |'
    assert body_problems(good) == []
    assert body_problems(good.replace('"genres"', '"genre"')) == ["/api/recommend.filters: no field 'genre'"]


def test_a_name_the_code_lacks_fails_the_check():
    assert name_problems("`recsys.labels.label_key`, `labels.label_key`, `recsys/store/base.py`, "
                         "`filters.clean`, `DERIVED_RULES`, `cover.jpg`, `np.array_equal`") == []
    assert name_problems("`recsys.labels.no_such_key`") == ["no such name recsys.labels.no_such_key"]
    assert name_problems("`recsys/store/nothing.py`") == ["no file recsys/store/nothing.py"]
    assert name_problems("`filters.colour`") == ["the API's filters have no field filters.colour"]
    assert name_problems("`NO_SUCH_RULES`") == ["no such name in the code: NO_SUCH_RULES"]


def test_an_unescaped_pipe_in_a_table_cell_fails_the_check():
    table = "| a | b |\n| --- | --- |\n| `x\\|y` | z |\n"
    assert table_problems(table) == []
    assert table_problems(table.replace("\\|", "|")) == ["3 cells, the header 2: | `x|y` | z |"]
