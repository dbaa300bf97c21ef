// The two messages of grpc.health.v1.Health/Check, encoded by hand: one string field each way
// and one enum back. A .proto file would not be copied into dist by the build, and protobufjs at
// run time is far more than these few bytes need. Wire format: protobuf encoding guide.
//   message HealthCheckRequest { string service = 1; }
//   message HealthCheckResponse { ServingStatus status = 1; }

export const servingStatusNames = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'] as const;
export const SERVING = 1;

export function encodeHealthCheckRequest(service: string): Buffer {
  if (service === '') return Buffer.alloc(0); // proto3 leaves default values out
  const text = Buffer.from(service, 'utf8');
  return Buffer.concat([Buffer.from([0x0a]), encodeVarint(text.length), text]); // field 1, wire type 2
}

/** The `status` of a HealthCheckResponse (0, UNKNOWN, when absent); unknown fields are skipped. */
export function decodeHealthCheckResponse(bytes: Buffer): number {
  let status = 0;
  let offset = 0;
  while (offset < bytes.length) {
    const key = readVarint(bytes, offset);
    offset = key.next;
    const field = Number(key.value >> 3n);
    const wireType = Number(key.value & 7n);
    if (wireType === 0) {
      const value = readVarint(bytes, offset);
      offset = value.next;
      if (field === 1) status = Number(value.value);
    } else if (wireType === 2) {
      const length = readVarint(bytes, offset);
      offset = length.next + Number(length.value);
    } else if (wireType === 1) {
      offset += 8;
    } else if (wireType === 5) {
      offset += 4;
    } else {
      throw new Error(`malformed health check response (wire type ${wireType})`);
    }
  }
  if (offset > bytes.length) throw new Error('truncated health check response');
  return status;
}

export function encodeVarint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

function readVarint(bytes: Buffer, start: number): { value: bigint; next: number } {
  let value = 0n;
  let shift = 0n;
  for (let offset = start; offset < bytes.length && shift < 70n; offset++) {
    value |= BigInt(bytes[offset] & 0x7f) << shift;
    if ((bytes[offset] & 0x80) === 0) return { value, next: offset + 1 };
    shift += 7n;
  }
  throw new Error('truncated health check response');
}
