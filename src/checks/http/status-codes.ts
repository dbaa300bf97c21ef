// Accepted status codes: a list of single codes ("301") and inclusive ranges ("200-299").

export const statusCodePattern = '^[1-5][0-9]{2}(-[1-5][0-9]{2})?$';

export function isAcceptedStatus(status: number, accepted: readonly string[]): boolean {
  return accepted.some((entry) => {
    const [low, high = low] = entry.split('-').map(Number);
    return status >= low && status <= high;
  });
}

/** "200-299" or "200-299, 301": how the expectation reads in a detail sentence. */
export function describeAccepted(accepted: readonly string[]): string {
  return accepted.join(', ');
}
