"""`likes-tui completion bash|zsh|fish`: shell completion scripts made from the parser itself,
so a new command or option completes without anyone editing a script. Account names (for
`account use`, `account remove`, `account owns-app` and `--profile`) are asked of
`likes-tui account list` when the shell completes them."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field

SHELLS = ("bash", "zsh", "fish")
FILE_OPTIONS = {"--file", "--config-dir"}
"""Options whose value is a path: the shell completes file names."""
ACCOUNT_NAME_OPTIONS = {"--profile"}
ACCOUNT_NAME_COMMANDS = {"account use", "account remove", "account owns-app"}

NAMES_COMMAND = (
    'likes-tui account list --json 2>/dev/null | sed -n \'s/.*"name": "\\([^"]*\\)".*/\\1/p\''
)


@dataclass
class Option:
    flags: list[str]
    help: str
    takes_value: bool
    choices: list[str]


@dataclass
class Command:
    path: str
    """"" for the program itself, else e.g. "account add"."""
    help: str = ""
    options: list[Option] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    """Fixed positional values (`queue list|retry|…`)."""
    subcommands: dict[str, Command] = field(default_factory=dict)


def _short(text: str | None) -> str:
    """An option's help cut to its first clause, for the one-line descriptions of fish."""
    text = (text or "").replace("%%", "%").replace("\n", " ")
    for stop in ("; ", " (", ": "):
        text = text.split(stop)[0]
    return text[:70]


def tree(parser: argparse.ArgumentParser, path: str = "", help_text: str = "") -> Command:
    node = Command(path, help_text)
    helps: dict[str, str] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            for name, sub in action.choices.items():
                sub_path = f"{path} {name}".strip()
                node.subcommands[name] = tree(sub, sub_path, helps.get(name, ""))
        elif action.option_strings:
            if action.help == argparse.SUPPRESS:
                continue
            node.options.append(
                Option(
                    list(action.option_strings),
                    _short(action.help),
                    action.nargs != 0,
                    [str(c) for c in action.choices or ()],
                )
            )
        elif action.choices:
            node.words += [str(c) for c in action.choices]
    return node


def _walk(node: Command) -> list[Command]:
    out = [node]
    for sub in node.subcommands.values():
        out += _walk(sub)
    return out


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def bash(root: Command) -> str:
    nodes = _walk(root)
    valued: dict[str, list[str]] = {}
    for node in nodes:
        for option in node.options:
            if option.takes_value:
                for flag in option.flags:
                    valued.setdefault(flag, option.choices)
    value_cases = []
    for flag, choices in sorted(valued.items()):
        if flag in FILE_OPTIONS:
            action = 'compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur"))'
        elif flag in ACCOUNT_NAME_OPTIONS:
            action = 'COMPREPLY=($(compgen -W "$(_likes_tui_accounts)" -- "$cur"))'
        elif choices:
            action = f'COMPREPLY=($(compgen -W {_quote(" ".join(choices))} -- "$cur"))'
        else:
            action = "COMPREPLY=()"
        value_cases.append(f"        {flag}) {action}; return ;;")
    known = " ".join(_quote(f"{node.path}:{name}") for node in nodes for name in node.subcommands)
    path_cases = []
    for node in nodes:
        opts = " ".join(flag for o in node.options for flag in o.flags)
        words = " ".join([*node.subcommands, *node.words])
        names = " $(_likes_tui_accounts)" if node.path in ACCOUNT_NAME_COMMANDS else ""
        path_cases.append(
            f'        {_quote(node.path)}) opts={_quote(opts)}; words="{words}{names}" ;;'
        )
    return f"""# likes-tui completion for bash: eval "$(likes-tui completion bash)" in ~/.bashrc
_likes_tui_accounts() {{
    {NAMES_COMMAND}
}}
_likes_tui() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    local path="" i w opts words
    local known=({known})
    for ((i = 1; i < COMP_CWORD; i++)); do
        w="${{COMP_WORDS[i]}}"
        for k in "${{known[@]}}"; do
            if [[ "$k" == "$path:$w" ]]; then path="${{path:+$path }}$w"; break; fi
        done
    done
    case "$prev" in
{chr(10).join(value_cases)}
    esac
    case "$path" in
{chr(10).join(path_cases)}
        *) opts=""; words="" ;;
    esac
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    else
        COMPREPLY=($(compgen -W "$words" -- "$cur"))
    fi
}}
complete -F _likes_tui likes-tui
"""


def zsh(root: Command) -> str:
    """zsh runs the bash function through bashcompinit (part of zsh itself)."""
    return (
        '# likes-tui completion for zsh: eval "$(likes-tui completion zsh)" in ~/.zshrc\n'
        "autoload -U +X compinit && compinit\n"
        "autoload -U +X bashcompinit && bashcompinit\n" + bash(root).split("\n", 1)[1]
    )


def fish(root: Command) -> str:
    lines = [
        "# likes-tui completion for fish: likes-tui completion fish | source  (or save it as",
        "# ~/.config/fish/completions/likes-tui.fish)",
        "complete -c likes-tui -f",
    ]
    everywhere = {flag for option in root.options for flag in option.flags}
    for node in _walk(root):
        parts = node.path.split()
        if not parts:
            seen = "__fish_use_subcommand"
        else:
            seen = " ; and ".join(f"__fish_seen_subcommand_from {p}" for p in parts)
        if node.subcommands:
            below = " ".join(node.subcommands)
            cond = seen if not parts else f"{seen} ; and not __fish_seen_subcommand_from {below}"
            for name, sub in node.subcommands.items():
                lines.append(
                    f"complete -c likes-tui -n {_quote(cond)} -a {name} -d {_quote(_short(sub.help))}"
                )
        for word in node.words:
            lines.append(f"complete -c likes-tui -n {_quote(seen)} -a {_quote(word)}")
        if node.path in ACCOUNT_NAME_COMMANDS:
            lines.append(
                f"complete -c likes-tui -n {_quote(seen)} -a {_quote('(' + NAMES_COMMAND + ')')}"
            )
        for option in node.options:
            if parts and option.flags[0] in everywhere:
                continue  # the program's own options complete after any command
            spec = []
            for flag in option.flags:
                spec.append(f"-l {flag[2:]}" if flag.startswith("--") else f"-s {flag[1:]}")
            if option.takes_value:
                if option.flags[0] in FILE_OPTIONS:
                    spec.append("-r -F")
                elif option.flags[0] in ACCOUNT_NAME_OPTIONS:
                    spec.append(f"-x -a {_quote('(' + NAMES_COMMAND + ')')}")
                elif option.choices:
                    spec.append(f"-x -a {_quote(' '.join(option.choices))}")
                else:
                    spec.append("-x")
            cond = f"-n {_quote(seen)} " if parts else ""
            lines.append(f"complete -c likes-tui {cond}{' '.join(spec)} -d {_quote(option.help)}")
    return "\n".join(lines) + "\n"


def script(shell: str) -> str:
    from likes_tui.cli.parser import build_parser

    root = tree(build_parser())
    return {"bash": bash, "zsh": zsh, "fish": fish}[shell](root)
