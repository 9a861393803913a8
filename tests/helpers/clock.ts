/** A clock the test moves by hand; instants given as local (UTC+7) wall time for readability. */
export class TestClock {
  constructor(private current: Date) {}
  static atLocal(local: string) {
    return new TestClock(new Date(`${local}+07:00`));
  }
  now = () => new Date(this.current);
  setLocal(local: string) {
    this.current = new Date(`${local}+07:00`);
  }
  advanceMinutes(m: number) {
    this.current = new Date(this.current.getTime() + m * 60_000);
  }
}
