export { ERROR_CODES, type ErrorCode, httpStatusFor, isErrorCode } from './error-codes';
export { DomainError } from './domain-error';
export { PROBLEM_CONTENT_TYPE, type ProblemDetails, problemTypeUri, toProblem } from './problem';
