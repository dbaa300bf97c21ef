// A mistake on the command line (a bad option, an unknown user): `tocsin` prints its message alone,
// without a stack trace, and exits with status 1.
export class UsageError extends Error {}
