# Regenerates src/kernels/torch-fixtures.json (conv and pooling goldens): /usr/bin/python3 scripts/torch-fixtures.py > src/kernels/torch-fixtures.json
import torch, json
import torch.nn.functional as F
torch.manual_seed(0)
r = lambda *s: torch.round(torch.randn(*s, dtype=torch.float64)*4)/4
out={}
x=r(2,4,5,6).requires_grad_(); w=r(6,2,3,2).requires_grad_()
y=F.conv2d(x,w,stride=(2,1),padding=(1,2),dilation=(1,2),groups=2)
dy=r(*y.shape); y.backward(dy)
out['conv']=dict(x=x.detach().flatten().tolist(), w=w.detach().flatten().tolist(), yshape=list(y.shape), y=y.detach().flatten().tolist(), dy=dy.flatten().tolist(), dx=x.grad.flatten().tolist(), dw=w.grad.flatten().tolist())
p=r(1,2,5,5); p[0,0,1,1]=float('nan'); p[0,0,1,2]=float('nan')
m,i=F.max_pool2d(p,kernel_size=3,stride=2,padding=1,dilation=1,return_indices=True)
out['maxpool']=dict(x=[None if v!=v else v for v in p.flatten().tolist()], y=[None if v!=v else v for v in m.flatten().tolist()], i=i.flatten().tolist(), yshape=list(m.shape))
m2,i2=F.max_pool2d(p.nan_to_num(0.),kernel_size=2,stride=1,padding=0,dilation=2,return_indices=True)
out['maxpoolDil']=dict(y=m2.flatten().tolist(), i=i2.flatten().tolist(), yshape=list(m2.shape))
for cip in [True, False]:
  q=r(1,2,5,4).requires_grad_()
  a=F.avg_pool2d(q,kernel_size=(3,2),stride=(2,1),padding=(1,1),count_include_pad=cip)
  g=r(*a.shape); a.backward(g)
  out['avg'+str(cip)]=dict(x=q.detach().flatten().tolist(), y=a.detach().flatten().tolist(), yshape=list(a.shape), dy=g.flatten().tolist(), dx=q.grad.flatten().tolist())
print(json.dumps(out))
