import * as vscode from 'vscode';
import { Commands } from '../common/commandIds';
import type { ChartPin } from '../core/helm/pins';

/** What "Review app release notes" above a chart pin passes to its command. */
export interface ChartAppRequest {
  /** The chart's `helm:` source. */
  source: string;
  /** The chart version pinned. */
  from: string;
}

/**
 * Above a chart pin: "Review release notes 15.1.0 → latest" (the chart's own changes with its
 * app's notes) and, when the chart's repository is known, "Review app release notes" (the app
 * versions those two chart versions ship).
 */
export function chartLenses(pin: ChartPin): vscode.CodeLens[] {
  const range = new vscode.Range(pin.line, 0, pin.line, 0);
  const chart = new vscode.CodeLens(range, {
    title: `Review release notes ${pin.version} → latest`,
    tooltip: pin.source ? `chart ${pin.name}: ${pin.source}` : `chart ${pin.name}: its repository is not in this file; choose where its release notes come from`,
    command: Commands.reviewReleaseNotes,
    arguments: [{ source: pin.source, from: pin.version, to: 'latest' }],
  });
  if (!pin.source) return [chart];
  const app = new vscode.CodeLens(range, {
    title: 'Review app release notes',
    tooltip: `the release notes of the app that chart ${pin.name} ${pin.constraint} and its latest version ship`,
    command: Commands.reviewChartAppNotes,
    arguments: [{ source: pin.source, from: pin.version } satisfies ChartAppRequest],
  });
  return [chart, app];
}
