"""Shell completion scripts for bash, zsh and fish, generated from the CLI's own
argument parser, so they never fall out of step with the commands."""

from __future__ import annotations

import argparse

SHELLS = ("bash", "zsh", "fish")


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _options(parser: argparse.ArgumentParser) -> list[str]:
    return sorted(
        o for a in parser._actions for o in a.option_strings if o.startswith("--")
    )


def _choices(parser: argparse.ArgumentParser) -> list[str]:
    """Fixed values of positional arguments (status names, sub-actions)."""
    values: list[str] = []
    for action in parser._actions:
        if not action.option_strings and action.choices and not isinstance(
            action, argparse._SubParsersAction
        ):
            values.extend(str(c) for c in action.choices)
    values.extend(_commands(parser))
    return values


def _option_values(parser: argparse.ArgumentParser) -> dict[str, list[str]]:
    """Options that take a value, with their fixed choices (empty: a file name)."""
    values: dict[str, list[str]] = {}
    for sub in [parser, *_commands(parser).values()]:
        for action in sub._actions:
            if action.option_strings and action.nargs != 0:
                for option in action.option_strings:
                    values[option] = [str(c) for c in action.choices or ()]
    return values


def bash(parser: argparse.ArgumentParser) -> str:
    commands = _commands(parser)
    value_cases = []
    for option, choices in sorted(_option_values(parser).items()):
        reply = f'compgen -W "{" ".join(choices)}" -- "$cur"' if choices else 'compgen -f -- "$cur"'
        value_cases.append(f"        {option}) COMPREPLY=( $({reply}) ); return ;;")
    takes_value = "|".join(sorted(_option_values(parser)))
    cases = []
    for name, sub in commands.items():
        words = " ".join(_options(sub) + _choices(sub))
        cases.append(f"        {name}) words=\"{words}\" ;;")
    top = " ".join(list(commands) + _options(parser))
    return f"""# bash completion for readinglist: eval "$(readinglist completion bash)"
_readinglist() {{
    local cur prev words command="" skip=""
    cur="${{COMP_WORDS[COMP_CWORD]}}"
    prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    case "$prev" in
{chr(10).join(value_cases)}
    esac
    for word in "${{COMP_WORDS[@]:1:COMP_CWORD-1}}"; do
        if [[ -n "$skip" ]]; then skip=""; continue; fi
        case "$word" in {takes_value}) skip=1 ;; -*) ;; *) command="$word"; break ;; esac
    done
    case "$command" in
        "") words="{top}" ;;
{chr(10).join(cases)}
    esac
    if [[ "$command" == "import" && "$cur" != -* ]]; then
        COMPREPLY=( $(compgen -f -- "$cur") )
    else
        COMPREPLY=( $(compgen -W "$words" -- "$cur") )
    fi
}}
complete -o default -F _readinglist readinglist
"""


def zsh(parser: argparse.ArgumentParser) -> str:
    return (
        "#compdef readinglist\n"
        "# zsh completion for readinglist: eval \"$(readinglist completion zsh)\"\n"
        "autoload -U +X bashcompinit && bashcompinit\n" + bash(parser)
    )


def fish(parser: argparse.ArgumentParser) -> str:
    commands = _commands(parser)
    names = " ".join(commands)
    lines = [
        "# fish completion for readinglist: readinglist completion fish | source",
        "complete -c readinglist -f",
    ]
    for name, sub in commands.items():
        help_text = (sub.description or "").replace("'", "\\'")
        lines.append(f"complete -c readinglist -n 'not __fish_seen_subcommand_from {names}' "
                     f"-a {name} -d '{help_text}'")
        for option in _options(sub):
            lines.append(f"complete -c readinglist -n '__fish_seen_subcommand_from {name}' "
                         f"-l {option[2:]}")
        values = " ".join(_choices(sub))
        if values:
            lines.append(f"complete -c readinglist -n '__fish_seen_subcommand_from {name}' "
                         f"-a '{values}'")
    lines.append("complete -c readinglist -n '__fish_seen_subcommand_from import' -F")
    return "\n".join(lines) + "\n"


def script(shell: str, parser: argparse.ArgumentParser) -> str:
    return {"bash": bash, "zsh": zsh, "fish": fish}[shell](parser)
