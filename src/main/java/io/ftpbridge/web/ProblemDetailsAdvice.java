package io.ftpbridge.web;

import io.ftpbridge.storage.FileBusyException;
import io.ftpbridge.storage.InvalidPathException;
import io.ftpbridge.storage.PermissionDeniedException;
import io.ftpbridge.storage.QuotaExceededException;
import io.ftpbridge.storage.StorageService;
import jakarta.validation.ConstraintViolationException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Maps every domain error to one RFC 9457 problem detail; field errors go to {@code errors}. */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    /** The API's own domain errors (and features' that extend {@link ProblemException}). */
    @ExceptionHandler(ProblemException.class)
    ProblemDetail domain(ProblemException e) {
        return problem(e.status(), e.title(), e.getMessage(), e.errors());
    }

    @ExceptionHandler(InvalidPathException.class)
    ProblemDetail invalidPath(InvalidPathException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid path", e.getMessage(), List.of(new FieldError("path", e.getMessage())));
    }

    @ExceptionHandler(PermissionDeniedException.class)
    ProblemDetail permissionDenied(PermissionDeniedException e) {
        return problem(HttpStatus.FORBIDDEN, "Permission denied", e.getMessage(), List.of());
    }

    @ExceptionHandler(QuotaExceededException.class)
    ProblemDetail quotaExceeded(QuotaExceededException e) {
        return problem(HttpStatus.INSUFFICIENT_STORAGE, "Quota exceeded", e.getMessage(), List.of());
    }

    @ExceptionHandler(FileBusyException.class)
    ProblemDetail fileBusy(FileBusyException e) {
        return problem(HttpStatus.CONFLICT, "File busy", e.getMessage(), List.of());
    }

    @ExceptionHandler(NoSuchFileException.class)
    ProblemDetail noSuchFile(NoSuchFileException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", "no such file or directory: " + shown(e.getFile()), List.of());
    }

    @ExceptionHandler({FileAlreadyExistsException.class, DirectoryNotEmptyException.class,
            StorageService.NotAFileException.class, StorageService.NotADirectoryException.class})
    ProblemDetail fileConflict(Exception e) {
        String detail = e instanceof FileAlreadyExistsException f ? "already exists: " + shown(f.getFile())
                : e instanceof DirectoryNotEmptyException d ? "directory not empty: " + shown(d.getFile())
                : e.getMessage();
        return problem(HttpStatus.CONFLICT, "Conflict", detail, List.of());
    }

    /** A rule checked in a service (a key's role above its creator's, a password change with an API key). */
    @ExceptionHandler(org.springframework.security.access.AccessDeniedException.class)
    ProblemDetail forbidden(org.springframework.security.access.AccessDeniedException e) {
        return problem(HttpStatus.FORBIDDEN, "Forbidden", e.getMessage(), List.of());
    }

    @ExceptionHandler(AccessDeniedException.class)
    ProblemDetail fileAccessDenied(AccessDeniedException e) {
        log.warn("Storage refused access: {}", e.getFile());
        return problem(HttpStatus.FORBIDDEN, "Permission denied", "the file system refused access: " + shown(e.getFile()), List.of());
    }

    /** Other file system refusals (a file used as a directory, ...): the path conflicts with what is there. */
    @ExceptionHandler(FileSystemException.class)
    ProblemDetail fileSystem(FileSystemException e) {
        String reason = e.getReason() == null ? "the file system refused the operation" : e.getReason();
        return problem(HttpStatus.CONFLICT, "Conflict", reason + ": " + shown(e.getFile()), List.of());
    }

    @ExceptionHandler(StorageService.RestartOffsetException.class)
    ProblemDetail restartOffset(StorageService.RestartOffsetException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage(), List.of());
    }

    @ExceptionHandler(StorageService.IncompleteUploadException.class)
    ProblemDetail incompleteUpload(StorageService.IncompleteUploadException e) {
        return problem(HttpStatus.BAD_REQUEST, "Incomplete upload", e.getMessage(), List.of());
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ProblemDetail integrity(DataIntegrityViolationException e) {
        log.info("Refused write that violates a database constraint: {}", e.getMostSpecificCause().getMessage());
        return problem(HttpStatus.CONFLICT, "Conflict", "the change conflicts with existing data", List.of());
    }

    @ExceptionHandler(OptimisticLockingFailureException.class)
    ProblemDetail concurrentUpdate(OptimisticLockingFailureException e) {
        return problem(HttpStatus.CONFLICT, "Conflict", "the resource was changed concurrently; retry", List.of());
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ProblemDetail constraintViolation(ConstraintViolationException e) {
        List<FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new FieldError(lastNode(v.getPropertyPath().toString()), v.getMessage()))
                .toList();
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", "request validation failed", errors);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "Invalid request",
                "request validation failed", fieldErrors(ex.getBindingResult())));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = ex.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream().map(err -> new FieldError(
                        r.getMethodParameter().getParameterName(), err.getDefaultMessage())))
                .toList();
        return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "Invalid request",
                "request validation failed", errors));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = "malformed request body";
        Throwable cause = ex.getMostSpecificCause();
        if (cause != null && cause.getMessage() != null) {
            String message = cause.getMessage();
            int newline = message.indexOf('\n');
            detail = detail + ": " + (newline > 0 ? message.substring(0, newline) : message);
        }
        return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "Malformed request", detail, List.of()));
    }

    private static List<FieldError> fieldErrors(BindingResult result) {
        return result.getFieldErrors().stream()
                .map(f -> new FieldError(f.getField(), f.getDefaultMessage()))
                .toList();
    }

    /**
     * A file name for a problem detail: storage reports folder-relative paths; should an absolute one
     * slip through, only its last name is shown, never where storage lives on the server.
     */
    private static String shown(String file) {
        if (file == null || !file.startsWith("/")) {
            return file;
        }
        int slash = file.lastIndexOf('/');
        return file.substring(slash + 1);
    }

    private static String lastNode(String propertyPath) {
        int dot = propertyPath.lastIndexOf('.');
        return dot < 0 ? propertyPath : propertyPath.substring(dot + 1);
    }

    static ProblemDetail problem(HttpStatus status, String title, String detail, List<FieldError> errors) {
        return Problems.of(status, title, detail, errors);
    }
}
