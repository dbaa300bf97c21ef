// Commands that features add (agent, run, import, ...): one line each.
import type { Command } from 'commander';
import type { Settings } from '../config/settings.js';

export function extraCommands(_program: Command, _settings: () => Readonly<Settings>): void {
  // Features register their commands here.
}
