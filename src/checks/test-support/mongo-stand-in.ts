// A MongoDB stand-in for the mongodb checker's tests: MongoDB is not in Debian, so no real server
// can run here. This is a TCP server speaking enough of the MongoDB wire protocol for the
// official driver: OP_QUERY (the driver's first hello) answered with OP_REPLY, OP_MSG answered
// with OP_MSG, BSON from the driver's own bson package; hello/isMaster, ping, buildInfo,
// endSessions, SCRAM-SHA-256 logins (saslStart/saslContinue), "CommandNotFound" for the rest.
import { createServer, type Socket } from 'node:net';
import { BSON, Binary, type Document } from 'mongodb';
import { ScramSha256Conversation } from './scram-sha256-server.js';

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;

export interface MongoStandInOptions {
  /** Require this login (SCRAM-SHA-256) before any command but the handshake. */
  user?: { name: string; password: string };
  /** Never answer this command (to test a server that hangs mid-check). */
  hangOn?: string;
  /** Extra commands: name -> reply. */
  commands?: Record<string, (command: Document) => Document>;
}

export interface MongoStandIn {
  port: number;
  /** Names of the commands received, in order (handshakes included). */
  received: string[];
  stop(): Promise<void>;
}

export async function startMongoStandIn(options: MongoStandInOptions = {}): Promise<MongoStandIn> {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    serveConnection(socket, options, received);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    received,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function serveConnection(socket: Socket, options: MongoStandInOptions, received: string[]): void {
  let buffered = Buffer.alloc(0);
  let authenticated = options.user === undefined;
  let scram: ScramSha256Conversation | undefined;

  const answer = (command: Document): Document | null => {
    const name = Object.keys(command)[0];
    received.push(name);
    if (name === options.hangOn) return null;
    if (['hello', 'isMaster', 'ismaster'].includes(name)) return helloReply(command, options);
    if (name === 'saslStart' && options.user) {
      scram = new ScramSha256Conversation(options.user.name, options.user.password);
      const serverFirst = scram.start(Buffer.from((command.payload as Binary).buffer).toString('utf8'));
      return { conversationId: 1, done: false, payload: new Binary(Buffer.from(serverFirst)), ok: 1 };
    }
    if (name === 'saslContinue' && scram) {
      const serverFinal = scram.finish(Buffer.from((command.payload as Binary).buffer).toString('utf8'));
      if (serverFinal === null) return { ok: 0, errmsg: 'Authentication failed.', code: 18, codeName: 'AuthenticationFailed' };
      authenticated = true;
      return { conversationId: 1, done: true, payload: new Binary(Buffer.from(serverFinal)), ok: 1 };
    }
    if (name === 'endSessions') return { ok: 1 };
    if (!authenticated) return { ok: 0, errmsg: `command ${name} requires authentication`, code: 13, codeName: 'Unauthorized' };
    if (name === 'ping') return { ok: 1 };
    if (name === 'buildInfo') return { version: '7.0.0', ok: 1 };
    const custom = options.commands?.[name];
    if (custom) return custom(command);
    return { ok: 0, errmsg: `no such command: '${name}'`, code: 59, codeName: 'CommandNotFound' };
  };

  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 16 && buffered.length >= buffered.readInt32LE(0)) {
      const message = buffered.subarray(0, buffered.readInt32LE(0));
      buffered = buffered.subarray(message.length);
      const requestId = message.readInt32LE(4);
      const opCode = message.readInt32LE(12);
      if (opCode === OP_QUERY) {
        const reply = answer(readOpQuery(message));
        if (reply) socket.write(opReply(requestId, reply));
      } else if (opCode === OP_MSG) {
        const reply = answer(readOpMsg(message));
        if (reply) socket.write(opMsg(requestId, reply));
      } else {
        socket.destroy(); // nothing else is sent by a driver that was never offered compression
      }
    }
  });
}

function helloReply(command: Document, options: MongoStandInOptions): Document {
  return {
    helloOk: true,
    isWritablePrimary: true,
    ismaster: true,
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: 1,
    minWireVersion: 0,
    maxWireVersion: 21, // MongoDB 7.0
    readOnly: false,
    ...(command.saslSupportedMechs && options.user ? { saslSupportedMechs: ['SCRAM-SHA-256'] } : {}),
    ok: 1,
  };
}

// OP_QUERY: header, flags, full collection name (cstring), skip, return count, query document.
function readOpQuery(message: Buffer): Document {
  const nameEnd = message.indexOf(0, 20);
  return BSON.deserialize(message.subarray(nameEnd + 1 + 8));
}

// OP_MSG: header, flag bits, sections (kind 0: the body; kind 1: size, identifier, documents).
function readOpMsg(message: Buffer): Document {
  const flags = message.readUInt32LE(16);
  const end = flags & 1 ? message.length - 4 : message.length; // checksumPresent
  let body: Document = {};
  const sequences: Record<string, Document[]> = {};
  for (let offset = 20; offset < end;) {
    const kind = message[offset];
    if (kind === 0) {
      const size = message.readInt32LE(offset + 1);
      body = BSON.deserialize(message.subarray(offset + 1, offset + 1 + size));
      offset += 1 + size;
    } else {
      const size = message.readInt32LE(offset + 1);
      const idEnd = message.indexOf(0, offset + 5);
      const id = message.subarray(offset + 5, idEnd).toString();
      const docs: Document[] = [];
      for (let at = idEnd + 1; at < offset + 1 + size;) {
        const docSize = message.readInt32LE(at);
        docs.push(BSON.deserialize(message.subarray(at, at + docSize)));
        at += docSize;
      }
      sequences[id] = docs;
      offset += 1 + size;
    }
  }
  return { ...body, ...sequences };
}

function header(length: number, responseTo: number, opCode: number): Buffer {
  const head = Buffer.alloc(16);
  head.writeInt32LE(length, 0);
  head.writeInt32LE(Math.floor(Math.random() * 2 ** 31), 4);
  head.writeInt32LE(responseTo, 8);
  head.writeInt32LE(opCode, 12);
  return head;
}

function opReply(responseTo: number, document: Document): Buffer {
  const doc = BSON.serialize(document);
  const fields = Buffer.alloc(20); // responseFlags, cursorID (int64), startingFrom, numberReturned
  fields.writeInt32LE(1, 16);
  return Buffer.concat([header(16 + 20 + doc.length, responseTo, OP_REPLY), fields, doc]);
}

function opMsg(responseTo: number, document: Document): Buffer {
  const doc = BSON.serialize(document);
  const fields = Buffer.alloc(5); // flag bits, then section kind 0
  return Buffer.concat([header(16 + 5 + doc.length, responseTo, OP_MSG), fields, doc]);
}
