// How many API body bytes the host holds at once. Each JSON body is buffered until it parses, so
// without a shared bound ten clients sending 60 MiB each hold 600 MiB (issue 13: 151 → 1,074 MiB,
// and it stayed). A request reserves what it declares (Content-Length) before a byte is read, and
// every chunk it actually receives; what does not fit is refused at once with 503, and the
// reservation is returned when the body has been parsed or dropped.
export class BodyBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  get inFlight(): number {
    return this.used;
  }

  /** Takes `n` bytes if they fit; false (and nothing taken) otherwise. */
  tryReserve(n: number): boolean {
    if (n < 0 || this.used + n > this.limit) return false;
    this.used += n;
    return true;
  }

  release(n: number): void {
    this.used = Math.max(0, this.used - n);
  }
}

/** One request's share: grows chunk by chunk beyond what it declared, and is returned once. */
export class BodyReservation {
  private held = 0;
  private closed = false;

  constructor(private readonly budget: BodyBudget) {}

  /** Makes the reservation cover `total` bytes; false when the budget cannot. */
  cover(total: number): boolean {
    if (total <= this.held) return true;
    if (!this.budget.tryReserve(total - this.held)) return false;
    this.held = total;
    return true;
  }

  release(): void {
    if (this.closed) return;
    this.closed = true;
    this.budget.release(this.held);
    this.held = 0;
  }
}
