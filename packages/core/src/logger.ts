/** A structured log event. Fields are already redacted by whoever emits them. */
export interface LogEvent {
  readonly level: "debug" | "info" | "warn" | "error";
  readonly message: string;
  readonly provider?: string | undefined;
  readonly fields?: Readonly<Record<string, unknown>> | undefined;
}

/** Where tokenmint sends its log events. The default drops them. */
export type Logger = (event: LogEvent) => void;

export const silentLogger: Logger = () => {};
