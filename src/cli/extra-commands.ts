// Commands that features add (agent, run, import, ...): one line each.
import type { Command } from 'commander';
import type { Settings } from '../config/settings.js';
import { agentCommands } from '../agent/agent-commands.js';
import { statuspageImportCommand } from '../importers/statuspage/statuspage-command.js';

export function extraCommands(program: Command, settings: () => Readonly<Settings>): void {
  // Features register their commands here.
  agentCommands(program);
  statuspageImportCommand(program, settings);
}
