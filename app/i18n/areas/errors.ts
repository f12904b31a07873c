// Error texts live apart from the rest of the catalogs because the error page needs both languages when the
// reader's is unknown (the root loader failed), and only these few strings should reach the browser for that.
const zh = {
  required: "请填写此项",
  invalidLogin: "请输入 11 位手机号或有效的邮箱地址",
  invalidPhone: "请输入 11 位中国大陆手机号",
  invalidEmail: "请输入有效的邮箱地址",
  passwordTooShort: "密码至少 10 位，或由三个以上词语组成的口令（用空格分开）",
  passwordTooLong: "密码不能超过 128 位",
  nameTooLong: "姓名不能超过 40 个字",
  unitRequired: "请选择所在单位",
  unknownUnit: "所选单位不存在",
  wrongCredentials: "手机号/邮箱或密码不正确",
  tooManyAttempts: "尝试次数过多，请 15 分钟后再试",
  notFoundTitle: "页面不存在",
  notFoundBody: "您访问的页面不存在或已被移除。",
  forbiddenTitle: "无权访问",
  forbiddenBody: "您的账号没有访问此页面的权限。",
  errorTitle: "出错了",
  errorBody: "服务暂时出现问题，请稍后再试。我们已经记录了这个错误。",
  databaseDownBody: "数据库暂时无法连接，请稍后刷新页面。",
  backHome: "返回首页",
  badRequestTitle: "请求有误",
  staleForm: "页面已过期，请刷新后重试",
  confirmRequired: "请先确认此操作",
  busy: "这个团购还有一项批量处理未完成，请等它结束后再试",
  tooLong: "内容太长",

  passwordCommon: "这个密码太常见，很容易被猜到，请换一个",
  passwordIsPhone: "密码不能包含手机号",

  tooManyTitle: "操作太频繁",
  tooManyBody: "短时间内请求太多，请稍等片刻再试。",
};

const en: typeof zh = {
  required: "This field is required",
  invalidLogin: "Enter an 11-digit mobile number or a valid email address",
  invalidPhone: "Enter an 11-digit mainland China mobile number",
  invalidEmail: "Enter a valid email address",
  passwordTooShort: "The password needs at least 10 characters, or three or more words separated by spaces",
  passwordTooLong: "The password can have at most 128 characters",
  nameTooLong: "The name can have at most 40 characters",
  unitRequired: "Choose your unit",
  unknownUnit: "That unit does not exist",
  wrongCredentials: "Wrong phone/email or password",
  tooManyAttempts: "Too many attempts: try again in 15 minutes",
  notFoundTitle: "Page not found",
  notFoundBody: "The page you asked for does not exist or was removed.",
  forbiddenTitle: "Not allowed",
  forbiddenBody: "Your account may not open this page.",
  errorTitle: "Something went wrong",
  errorBody: "The service has a problem right now. Please try again shortly; the error has been logged.",
  databaseDownBody: "The database cannot be reached right now. Please refresh in a moment.",
  backHome: "Back to the home page",
  badRequestTitle: "Bad request",
  staleForm: "This page is out of date: reload it and try again",
  confirmRequired: "Confirm this first",
  busy: "Another bulk operation on this group order is still running; try again when it has finished",
  tooLong: "This is too long",

  passwordCommon: "This password is too common and easily guessed: choose another",
  passwordIsPhone: "The password must not contain the phone number",

  tooManyTitle: "Too many requests",
  tooManyBody: "Too many requests in a short time. Please wait a moment and try again.",
};

export default { zh, en };
