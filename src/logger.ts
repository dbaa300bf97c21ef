// The root logger; components take child loggers (`logger.child({ component: 'scheduler' })`).
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(options: { level: string; format: 'pretty' | 'json' }): Logger {
  if (options.format === 'pretty') {
    return pino({
      level: options.level,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } },
    });
  }
  return pino({ level: options.level });
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
