package io.ftpbridge.events;

import io.ftpbridge.storage.StorageCaller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Names the authenticated REST account as the {@link StorageCaller} of the request, for file events. */
@Component
class RestCaller implements WebMvcConfigurer, HandlerInterceptor {

    private static final String SCOPE = RestCaller.class.getName() + ".scope";

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        request.setAttribute(SCOPE, StorageCaller.enter(new StorageCaller(auth == null ? null : auth.getName(), "REST")));
        return true;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        if (request.getAttribute(SCOPE) instanceof StorageCaller.Scope scope) {
            scope.close();
        }
    }
}
