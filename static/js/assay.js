// Small progressive enhancements only: every page works without JavaScript.
// Admin → Jobs refreshes itself while an execution is running, so progress counts stay live.
document.addEventListener('DOMContentLoaded', () => {
  const executions = document.getElementById('executions');
  if (executions && executions.textContent.includes('running')) {
    window.setTimeout(() => window.location.reload(), 3000);
  }
});
