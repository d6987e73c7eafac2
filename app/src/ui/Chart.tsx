import { useEffect, useRef } from "react";

/** Share per member over periods: uPlot (about 20 KB gzip), loaded only when the chart is shown. */
export function ShareChart(props: { periods: number[]; shares: number[]; label: string; xLabel: string }) {
  const { periods, shares, label, xLabel } = props;
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let plot: { destroy(): void } | undefined;
    let gone = false;
    void Promise.all([import("uplot"), import("uplot/dist/uPlot.min.css")]).then(([{ default: UPlot }]) => {
      if (gone || !el.current) return;
      const width = Math.min(el.current.clientWidth || 320, 900);
      plot = new UPlot(
        {
          width,
          height: 200,
          series: [{ label: xLabel }, { label, stroke: "#b4462a", width: 2, points: { show: true } }],
          axes: [{ incrs: [1, 2, 5, 10, 20, 50, 100] }, { size: 60 }],
          scales: { x: { time: false } },
        },
        [periods, shares],
        el.current,
      );
    });
    return () => {
      gone = true;
      plot?.destroy();
    };
  }, [periods, shares, label, xLabel]);
  return <div ref={el} role="img" aria-label={label} className="chart" />;
}
