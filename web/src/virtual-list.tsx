import { type ReactNode, useEffect, useRef, useState } from 'react';

/** Props of VirtualList. */
export interface VirtualListProps<Item> {
  items: readonly Item[];
  /** Every row has this height in pixels; fixed heights keep windowing exact and cheap. */
  rowHeight: number;
  renderRow: (item: Item, index: number) => ReactNode;
  rowKey: (item: Item, index: number) => string | number;
  /** Called when the last rows come into view (to load the next page). */
  onEndReached?: () => void;
  className?: string;
  /** Rows rendered beyond the visible ones on each side, so fast scrolling shows no gaps. */
  overscan?: number;
  testId?: string;
}

/**
 * A windowed list: only the rows in view (plus a few) are in the DOM, whatever the length, so
 * 100,000 events scroll like 100. The list fills its parent; the parent sets the height.
 */
export function VirtualList<Item>(props: VirtualListProps<Item>) {
  const { items, rowHeight, overscan = 8 } = props;
  const container = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(600);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setViewportHeight(element.clientHeight));
    observer.observe(element);
    setViewportHeight(element.clientHeight);
    return () => observer.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);
  const endVisible = last >= items.length - overscan;
  const { onEndReached } = props;
  useEffect(() => {
    if (endVisible && items.length > 0) onEndReached?.();
  }, [endVisible, items.length, onEndReached]);

  const rows: ReactNode[] = [];
  for (let index = first; index < last; index++) {
    const item = items[index] as Item;
    rows.push(
      <div
        key={props.rowKey(item, index)}
        className="virtual-row"
        style={{ position: 'absolute', top: index * rowHeight, height: rowHeight, left: 0, right: 0 }}
      >
        {props.renderRow(item, index)}
      </div>,
    );
  }
  return (
    <div
      ref={container}
      className={`virtual-list ${props.className ?? ''}`}
      data-testid={props.testId}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
    >
      <div style={{ position: 'relative', height: items.length * rowHeight }}>{rows}</div>
    </div>
  );
}
