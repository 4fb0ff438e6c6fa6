import type { Argv, CommandModule } from "yargs";
import { UsageError } from "../errors.js";
import type { GlobalArgs } from "./sessions/shared.js";

export const COMPLETION_SHELLS = ["bash", "zsh"] as const;
type Shell = (typeof COMPLETION_SHELLS)[number];

// The scripts ask `victor --complete <words of the line>` (answered in main.ts) for the candidates.
const BASH = `###-begin-victor-completions-###
# victor completion for bash. Install: victor completion bash >> ~/.bashrc
_victor_completions()
{
    local cur_word args type_list
    cur_word="\${COMP_WORDS[COMP_CWORD]}"
    args=("\${COMP_WORDS[@]}")
    mapfile -t type_list < <(victor --complete "\${args[@]}" 2>/dev/null)
    mapfile -t COMPREPLY < <(compgen -W "$( printf '%q ' "\${type_list[@]}" )" -- "\${cur_word}")
    return 0
}
complete -o bashdefault -o default -F _victor_completions victor
###-end-victor-completions-###
`;

const ZSH = `#compdef victor
###-begin-victor-completions-###
# victor completion for zsh. Install: victor completion zsh >> ~/.zshrc
_victor_completions()
{
  local reply
  local si=$IFS
  IFS=$'\\n' reply=($(victor --complete "\${words[@]:0:$CURRENT}" 2>/dev/null))
  IFS=$si
  if [[ \${#reply} -gt 0 ]]; then
    _describe 'values' reply
  else
    _default
  fi
}
if [[ "\${zsh_eval_context[-1]}" == "loadautofunc" ]]; then
  _victor_completions "$@"
else
  compdef _victor_completions victor
fi
###-end-victor-completions-###
`;

interface CompletionArgs extends GlobalArgs {
  shell?: string;
}

/** The shell to write a script for: the one named, else the user's login shell ($SHELL), else bash. */
export function completionShell(named: string | undefined, env: NodeJS.ProcessEnv): Shell {
  if (named !== undefined) {
    if (!(COMPLETION_SHELLS as readonly string[]).includes(named)) throw new UsageError(`victor completion supports ${COMPLETION_SHELLS.join(" and ")} (got "${named}").`);
    return named as Shell;
  }
  return env.SHELL?.endsWith("zsh") ? "zsh" : "bash";
}

export const completionCommand: CommandModule<GlobalArgs, CompletionArgs> = {
  command: "completion [shell]",
  describe: "Print a tab-completion script for bash or zsh (e.g. victor completion bash >> ~/.bashrc)",
  builder: (y) => y.positional("shell", { type: "string", describe: "bash or zsh (default: your $SHELL)" }) as Argv<CompletionArgs>,
  handler: (args) => {
    args.terminal.say(completionShell(args.shell, args.terminal.io.env) === "zsh" ? ZSH : BASH);
  },
};
