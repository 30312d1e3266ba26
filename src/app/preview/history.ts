// Undo and redo over whole states (the review's choices are small: who is in each panel and the
// crop edits), so an undo is exact whatever the edit was. Pure.
export class History<T> {
  private readonly past: T[] = [];
  private readonly future: T[] = [];

  constructor(private now: T) {}

  get current(): T {
    return this.now;
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }

  /** A new state after an edit; what was undone can no longer be redone. */
  push(next: T): T {
    this.past.push(this.now);
    this.future.length = 0;
    this.now = next;
    return next;
  }

  /** The state before the last edit, or null when there is none. */
  undo(): T | null {
    const before = this.past.pop();
    if (before === undefined) return null;
    this.future.push(this.now);
    this.now = before;
    return before;
  }

  redo(): T | null {
    const after = this.future.pop();
    if (after === undefined) return null;
    this.past.push(this.now);
    this.now = after;
    return after;
  }
}
