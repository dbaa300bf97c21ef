// Config fields several network checkers share, so they validate and read the same way.
import Type from 'typebox';

/** A host name or IP address. No leading "-" and no spaces: hosts end up as command arguments (ping). */
export const HostSchema = Type.String({
  minLength: 1,
  maxLength: 253,
  pattern: '^[^\\s-][^\\s]*$',
  description: 'Host name or IP address (IPv6 without brackets).',
});

export const PortSchema = Type.Integer({ minimum: 1, maximum: 65535, description: 'TCP port.' });

export const defaultCertExpiryDays = 14;

export const CertExpiryDaysSchema = Type.Integer({
  minimum: 0,
  maximum: 3650,
  default: defaultCertExpiryDays,
  description: 'The check is down when the certificate expires in fewer than this many days; 0 turns the early warning off.',
});

export const CaPemSchema = Type.String({
  minLength: 1,
  description: 'Extra trusted certificate authority (PEM), for private PKI; trusted in addition to the system CAs.',
});
