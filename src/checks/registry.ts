// Every checker Tocsin knows, by type. Adding a checker: a folder under checks/ and one line here.
// Checkers import their client libraries (mongodb, ssh2, grpc, ioredis, pg…) inside run(), on
// first use: loaded together they cost about 40 MB of memory that an instance checking only HTTP
// endpoints would carry for nothing. Only `import type` of them at the top of a checker module.
import type { CheckerDefinition } from './types.js';
import { httpChecker } from './http/http-checker.js';
import { tcpChecker } from './tcp/tcp-checker.js';
import { pingChecker } from './ping/ping-checker.js';
import { dnsChecker } from './dns/dns-checker.js';
import { tlsChecker } from './tls/tls-checker.js';
import { smtpChecker } from './smtp/smtp-checker.js';
import { sshChecker } from './ssh/ssh-checker.js';
import { mysqlChecker } from './mysql/mysql-checker.js';
import { postgresChecker } from './postgres/postgres-checker.js';
import { mongodbChecker } from './mongodb/mongodb-checker.js';
import { redisChecker } from './redis/redis-checker.js';
import { rabbitmqChecker } from './rabbitmq/rabbitmq-checker.js';
import { mqttChecker } from './mqtt/mqtt-checker.js';
import { grpcChecker } from './grpc/grpc-checker.js';

const definitions: CheckerDefinition<any>[] = [
  httpChecker,
  tcpChecker,
  pingChecker,
  dnsChecker,
  tlsChecker,
  smtpChecker,
  sshChecker,
  mysqlChecker,
  postgresChecker,
  mongodbChecker,
  redisChecker,
  rabbitmqChecker,
  mqttChecker,
  grpcChecker,
];

export const checkers: ReadonlyMap<string, CheckerDefinition<any>> = new Map(definitions.map((d) => [d.type, d]));

export function getChecker(type: string): CheckerDefinition<any> | undefined {
  return checkers.get(type);
}

export function checkerTypes(): string[] {
  return [...checkers.keys()].sort();
}
