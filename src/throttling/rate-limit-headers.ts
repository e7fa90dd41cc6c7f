/** OpenAI sends reset times as Go-style durations ("1s", "6m0s"); clients parse that format. */
export function formatResetDuration(seconds: number): string {
  const whole = Math.max(0, Math.ceil(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const secs = whole % 60;
  if (hours > 0) {
    return `${hours}h${minutes}m${secs}s`;
  }
  if (minutes > 0) {
    return `${minutes}m${secs}s`;
  }
  return `${secs}s`;
}
