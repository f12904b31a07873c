// Background work: the progress of bulk operations on a group order, and the admin's view of failed jobs.
const zh = {
  tasks: {
    kind: { settle: "单位结算", cancel: "取消团购", fulfil: "批量更新配送状态" },
    status: { queued: "排队中", running: "进行中", done: "已完成", failed: "失败" },
    progress: "{{kind}}：{{done}} / {{total}}",
    lastError: "上次出错（将自动重试）：{{error}}",
    failed: "未能完成：{{error}}。管理员可在“后台任务”中重试。",
    outcome: {
      settle: "已确认付款 {{credited}} 单",
      cancel: "已退款 {{refunded}} 单，取消未付款 {{cancelled}} 单",
      fulfil: "已更新 {{moved}} 单",
    },
  },
  jobs: {
    title: "后台任务",
    body: "过期订单释放、监测复核、通知、批量结算与退款、账目核对等都在后台任务中运行。失败的任务在重试用尽后列在这里。",
    failedTitle: "失败的任务",
    none: "没有失败的任务。",
    queue: "任务",
    failedAt: "失败时间",
    attempts: "尝试次数",
    error: "错误",
    retry: "重试",
    retrying: "正在提交…",
    retried: "已重新排队。",
    counts: "各任务数量",
    state: "状态",
    count: "数量",
    lastAudit: "最近一次账目核对",
    auditNever: "尚未核对过账目。",
    auditResult: "{{date}}：{{households}} 户，{{count}} 处差异",
    errors: { notFound: "该任务不存在或已不在失败状态" },
  },
};

const en: typeof zh = {
  tasks: {
    kind: { settle: "Unit settlement", cancel: "Cancelling the group order", fulfil: "Fulfilment step" },
    status: { queued: "Queued", running: "Running", done: "Done", failed: "Failed" },
    progress: "{{kind}}: {{done}} / {{total}}",
    lastError: "Last error (will be retried): {{error}}",
    failed: "Could not finish: {{error}}. An administrator can retry it under Background jobs.",
    outcome: {
      settle: "{{credited}} orders confirmed as paid",
      cancel: "{{refunded}} orders refunded, {{cancelled}} unpaid orders cancelled",
      fulfil: "{{moved}} orders updated",
    },
  },
  jobs: {
    title: "Background jobs",
    body: "Releasing expired orders, monitoring re-checks, notifications, bulk settlement and refunds and the ledger audit run as background jobs. Jobs that failed after their retries are listed here.",
    failedTitle: "Failed jobs",
    none: "No failed jobs.",
    queue: "Job",
    failedAt: "Failed at",
    attempts: "Attempts",
    error: "Error",
    retry: "Retry",
    retrying: "Sending…",
    retried: "Queued again.",
    counts: "Jobs per queue",
    state: "State",
    count: "Count",
    lastAudit: "Last ledger audit",
    auditNever: "The ledger has not been audited yet.",
    auditResult: "{{date}}: {{households}} households, {{count}} difference(s)",
    errors: { notFound: "That job does not exist or has not failed" },
  },
};

export default { zh, en };
